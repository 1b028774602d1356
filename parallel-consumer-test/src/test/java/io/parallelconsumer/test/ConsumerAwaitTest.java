package io.parallelconsumer.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.PartitionSnapshot;
import io.parallelconsumer.testing.SnapshotOnlyConsumer;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The waits' conditions and messages, on snapshots the test sets. */
class ConsumerAwaitTest {

    private static final PartitionSnapshot CAUGHT_UP = partition(0, 100, 100, 99, 0);
    private static final PartitionSnapshot BEHIND = partition(1, 40, 100, 99, 0);

    @Test
    void processedCountsWhatSucceededAndWhatWasSkipped() {
        ConsumerSnapshot snapshot = snapshot(ConsumerState.RUNNING, 7, 3, 0, List.of(CAUGHT_UP), null);

        assertThat(await(snapshot).processed(10)).isSameAs(snapshot);
    }

    @Test
    void aWaitThatTimesOutSaysWhatWasExpectedAndWhatWasSeen() {
        ConsumerSnapshot snapshot = snapshot(ConsumerState.RUNNING, 5, 1, 2, List.of(CAUGHT_UP, BEHIND), null);

        assertThatThrownBy(() -> await(snapshot).atMost(Duration.ofMillis(200)).processed(10))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("'orders' to be at least 10 records processed within PT0.2S")
                .hasMessageContaining("processed 6 (succeeded 5, skipped 1)")
                .hasMessageContaining("in flight 2")
                .hasMessageContaining("t-1 lag 60 (committed 40, log end 100)");
    }

    @Test
    void aConsumerThatFailsEndsTheWaitAtOnceWithItsFailure() {
        IllegalStateException failure = new IllegalStateException("broker gone");
        ConsumerSnapshot snapshot = snapshot(ConsumerState.FAILED, 1, 0, 0, List.of(), failure);

        assertThatThrownBy(() -> await(snapshot).atMost(Duration.ofMinutes(5)).processed(10))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("ended first").hasCause(failure);
    }

    @Test
    void idleMeansNothingInFlightAndEveryPartitionCommittedToItsEnd() {
        assertThat(ConsumerAwait.isIdle(snapshot(ConsumerState.RUNNING, 0, 0, 0, List.of(CAUGHT_UP), null)))
                .isTrue();
        assertThat(ConsumerAwait.isIdle(snapshot(ConsumerState.RUNNING, 0, 0, 0, List.of(CAUGHT_UP, BEHIND), null)))
                .as("a partition behind").isFalse();
        assertThat(ConsumerAwait.isIdle(snapshot(ConsumerState.RUNNING, 0, 0, 1, List.of(CAUGHT_UP), null)))
                .as("a record in flight").isFalse();
        assertThat(ConsumerAwait.isIdle(snapshot(ConsumerState.RUNNING, 0, 0, 0, List.of(), null)))
                .as("nothing assigned yet").isFalse();
    }

    @Test
    void aPartitionThisConsumerNeverCommittedIsIdleOnlyIfItFetchedNothingAndStartsAtTheEnd() {
        PartitionSnapshot untouched = partition(2, -1, 50, -1, 50);
        PartitionSnapshot doneButNotCommitted = partition(3, -1, 50, 49, 50);

        assertThat(ConsumerAwait.isIdle(snapshot(ConsumerState.RUNNING, 0, 0, 0, List.of(untouched), null))).isTrue();
        assertThat(ConsumerAwait.isIdle(snapshot(ConsumerState.RUNNING, 0, 0, 0, List.of(doneButNotCommitted), null)))
                .isFalse();
    }

    private static ConsumerAwait await(ConsumerSnapshot snapshot) {
        AtomicReference<ConsumerSnapshot> current = new AtomicReference<>(snapshot);
        return ConsumerAwait.on("orders", () -> new SnapshotOnlyConsumer(current::get));
    }

    private static PartitionSnapshot partition(int partition, long committed, long logEnd, long highestFetched,
            long commitOffset) {
        return new PartitionSnapshot("t", partition, 1, committed, commitOffset, highestFetched, logEnd, 0, 0, -1,
                null, 0, 0, false);
    }

    private static ConsumerSnapshot snapshot(ConsumerState state, long succeeded, long skipped, int inFlight,
            List<PartitionSnapshot> partitions, Throwable failure) {
        ConsumerSnapshot.Counters counters = new ConsumerSnapshot.Counters(succeeded, 0, skipped, 0, 0, 0, 0,
                Map.of());
        return new ConsumerSnapshot("orders", "group", state, failure, null, Instant.now(), 100, inFlight, 0, 0, 0,
                null, counters, partitions);
    }
}
