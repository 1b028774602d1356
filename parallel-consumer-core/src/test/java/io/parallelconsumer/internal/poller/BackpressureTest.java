package io.parallelconsumer.internal.poller;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackpressureTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final TopicPartition P2 = new TopicPartition("t", 2);
    private static final TopicPartition P3 = new TopicPartition("t", 3);

    @Test
    void pausesAllAtHighMarkAndResumesOnlyAtLowMark() {
        Backpressure backpressure = new Backpressure(100, 0.7);

        assertThat(backpressure.update(99, Map.of(P0, 50, P1, 49), Map.of())).isZero();
        assertThat(backpressure.shouldPause(P0)).isFalse();

        assertThat(backpressure.update(100, Map.of(P0, 50, P1, 50), Map.of())).isEqualTo(1);
        assertThat(backpressure.shouldPause(P0)).isTrue();
        assertThat(backpressure.shouldPause(P1)).isTrue();

        backpressure.update(71, Map.of(P0, 31, P1, 40), Map.of());
        assertThat(backpressure.full()).as("hysteresis: still above the low mark").isTrue();

        backpressure.update(70, Map.of(P0, 30, P1, 40), Map.of());
        assertThat(backpressure.full()).isFalse();
        assertThat(backpressure.shouldPause(P0)).isFalse();
    }

    @Test
    void pausesOnlyTheCongestedPartitionWhileOthersFlow() {
        Backpressure backpressure = new Backpressure(100, 0.7); // congested at 35, relieved at 24

        assertThat(backpressure.update(40, Map.of(P0, 35, P1, 5), Map.of())).isEqualTo(1);
        assertThat(backpressure.shouldPause(P0)).isTrue();
        assertThat(backpressure.shouldPause(P1)).isFalse();

        // The stuck partition keeps its records; the other one fills up to the global mark and drains again.
        backpressure.update(100, Map.of(P0, 35, P1, 65), Map.of());
        assertThat(backpressure.shouldPause(P1)).isTrue();
        backpressure.update(70, Map.of(P0, 35, P1, 35), Map.of());
        assertThat(backpressure.shouldPause(P1)).as("others resume although P0 is still stuck").isFalse();
        assertThat(backpressure.shouldPause(P0)).isTrue();

        backpressure.update(24, Map.of(P0, 24, P1, 0), Map.of());
        assertThat(backpressure.shouldPause(P0)).isFalse();
    }

    @Test
    void aCongestedPartitionWakesThePollerOnceItMayHaveFallenToItsMark() {
        Backpressure backpressure = new Backpressure(100, 0.7); // congested at 35, relieved at 24

        backpressure.update(40, Map.of(P0, 35, P1, 5), Map.of());
        assertThat(backpressure.wakeMark()).as("P0 holds 11 over its mark: look again at a total of 29").isEqualTo(29);

        backpressure.update(29, Map.of(P0, 29, P1, 0), Map.of());
        assertThat(backpressure.shouldPause(P0)).as("the others completed, P0 only some").isTrue();
        assertThat(backpressure.wakeMark()).as("P0 still holds 5 over its mark").isEqualTo(24);

        backpressure.update(24, Map.of(P0, 24, P1, 0), Map.of());
        assertThat(backpressure.shouldPause(P0)).isFalse();
        assertThat(backpressure.wakeMark()).isEqualTo(-1);
    }

    @Test
    void aSinglePartitionMayUseTheWholeBudget() {
        Backpressure backpressure = new Backpressure(100, 0.7);
        backpressure.update(99, Map.of(P0, 99), Map.of());
        assertThat(backpressure.shouldPause(P0)).isFalse();
    }

    @Test
    void whilePressedAPartitionFarAheadWaitsForTheOthersToCatchUp() {
        // pressed above 700; equal shares of 1000 / 4 = 250 records, below which a partition never waits
        Backpressure backpressure = new Backpressure(1000, 0.7);

        assertThat(backpressure.update(800, even(800), Map.of(P0, 4_000L, P1, 10_000L, P2, 5_000L, P3, 9_000L)))
                .isEqualTo(1);
        assertThat(backpressure.shouldPause(P0)).as("fewer than half the most left to fetch").isTrue();
        assertThat(backpressure.shouldPause(P2)).as("exactly half").isFalse();
        assertThat(backpressure.shouldPause(P1)).isFalse();
        assertThat(backpressure.wakeMark()).as("P0 may go on once the pressure ends").isEqualTo(700);

        // P0 goes on once it has 60 % of the most left, not before
        backpressure.update(800, even(800), Map.of(P0, 4_000L, P1, 6_700L, P2, 5_000L, P3, 6_000L));
        assertThat(backpressure.shouldPause(P0)).as("60 % of 6,700 is 4,020").isTrue();
        backpressure.update(800, even(800), Map.of(P0, 4_000L, P1, 6_600L, P2, 5_000L, P3, 6_000L));
        assertThat(backpressure.shouldPause(P0)).isFalse();
        assertThat(backpressure.wakeMark()).as("nothing paused").isEqualTo(-1);
    }

    @Test
    void partitionsAheadGoOnWhenThePressureEnds() {
        Backpressure backpressure = new Backpressure(1000, 0.7);
        Map<TopicPartition, Long> left = Map.of(P0, 1_000L, P1, 10_000L);

        assertThat(backpressure.update(700, even(700), left)).as("not pressed at the resume mark").isZero();
        assertThat(backpressure.shouldPause(P0)).isFalse();
        backpressure.update(701, even(701), left);
        assertThat(backpressure.shouldPause(P0)).isTrue();
        backpressure.update(700, even(700), left);
        assertThat(backpressure.shouldPause(P0)).isFalse();
    }

    @Test
    void partitionsNearlyCaughtUpOrNotYetFetchedNeverWait() {
        Backpressure backpressure = new Backpressure(1000, 0.7); // equal shares of 250

        backpressure.update(800, even(800), Map.of(P0, 250L, P1, 0L, P2, 10_000L));
        assertThat(backpressure.shouldPause(P0)).isFalse();
        assertThat(backpressure.shouldPause(P1)).as("caught up: only new records to fetch").isFalse();
        assertThat(backpressure.shouldPause(P3)).as("not fetched from yet").isFalse();

        backpressure.update(800, even(800), Map.of(P0, 251L, P1, 0L, P2, 10_000L));
        assertThat(backpressure.shouldPause(P0)).isTrue();
    }

    @Test
    void aCongestedPartitionDoesNotHoldTheOthersBack() {
        Backpressure backpressure = new Backpressure(1000, 0.7); // congested at 350 and twice the others' average
        backpressure.update(800, Map.of(P0, 400, P1, 150, P2, 150, P3, 100),
                Map.of(P0, 50_000L, P1, 4_000L, P2, 5_000L, P3, 9_000L));
        assertThat(backpressure.shouldPause(P0)).as("a stuck key, say").isTrue();
        assertThat(backpressure.shouldPause(P3)).isFalse();
        assertThat(backpressure.shouldPause(P2)).isFalse();
        assertThat(backpressure.shouldPause(P1)).as("behind P3, which sets the pace").isTrue();
    }

    @Test
    void whenCalmAnUpdateChangesNothing() {
        // The poller skips the update while calm: in every state random updates reach, an update at a calm total
        // must pause nothing, start nothing and keep the state calm.
        Random random = new Random(42);
        List<TopicPartition> partitions = List.of(P0, P1, P2, P3);
        int calmUpdates = 0;
        for (int trial = 0; trial < 2_000; trial++) {
            Backpressure backpressure = new Backpressure(1000, 0.7);
            for (int step = 0; step < 20; step++) {
                Map<TopicPartition, Integer> counts = new HashMap<>();
                Map<TopicPartition, Long> left = new HashMap<>();
                int total = 0;
                int scale = random.nextBoolean() ? 120 : 700; // often calm, often not
                for (TopicPartition tp : partitions) {
                    int count = random.nextInt(scale);
                    counts.put(tp, count);
                    total += count;
                    if (random.nextBoolean()) {
                        left.put(tp, (long) random.nextInt(50_000));
                    }
                }
                if (!backpressure.calmAt(total)) {
                    backpressure.update(total, counts, left);
                    continue;
                }
                calmUpdates++;
                assertThat(backpressure.update(total, counts, left)).isZero();
                assertThat(partitions).noneMatch(backpressure::shouldPause);
                assertThat(backpressure.wakeMark()).isEqualTo(-1);
                assertThat(backpressure.calmAt(total)).isTrue();
            }
        }
        assertThat(calmUpdates).as("the property was exercised").isGreaterThan(1_000);
    }

    @Test
    void notCalmWhileARuleIsInForceOrAtACongestionMark() {
        Backpressure backpressure = new Backpressure(100, 0.7); // congested at 35

        assertThat(backpressure.calmAt(34)).isTrue();
        assertThat(backpressure.calmAt(35)).as("one partition may hold all of it").isFalse();

        backpressure.update(100, Map.of(P0, 50, P1, 50), Map.of());
        assertThat(backpressure.calmAt(0)).as("full until an update sees the low mark").isFalse();
        backpressure.update(0, Map.of(P0, 0, P1, 0), Map.of());
        assertThat(backpressure.calmAt(0)).isTrue();

        backpressure.update(40, Map.of(P0, 35, P1, 5), Map.of());
        assertThat(backpressure.calmAt(30)).as("P0 congested until an update relieves it").isFalse();
    }

    /** Four partitions holding {@code total} records between them, too evenly for any to be congested. */
    private static Map<TopicPartition, Integer> even(int total) {
        return Map.of(P0, total / 4, P1, total / 4, P2, total / 4, P3, total - 3 * (total / 4));
    }
}
