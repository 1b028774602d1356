package io.parallelconsumer.validation.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The verifier on crafted logs with known losses, duplicates, order violations and pauses: it must catch each. */
class DeliveryVerifierTests {

    private static final Map<Integer, Long> NOTHING_COMMITTED = Map.of();

    /** Two partitions, three keys; record i is acknowledged at i ms and processed from i ms + 1 ms for 1 ms. */
    private final List<Ack> acks = new ArrayList<>();
    private final List<Processed> processings = new ArrayList<>();

    DeliveryVerifierTests() {
        long[] sequences = new long[3];
        long[] offsets = new long[2];
        for (int i = 0; i < 30; i++) {
            int key = i % 3;
            int partition = key == 2 ? 1 : 0;
            acks.add(new Ack(partition, offsets[partition]++, "k" + key, sequences[key]++, ms(i) - 500, ms(i)));
        }
        for (Ack ack : acks) {
            processings.add(processed("a-1", ack, ack.ackedMicros() + 1000));
        }
    }

    @Test
    void aCleanRunPasses() {
        GroupVerdict verdict = verify(List.of());

        assertThat(verdict.failures()).isEmpty();
        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.acknowledged()).isEqualTo(30);
        assertThat(verdict.processings()).isEqualTo(30);
        assertThat(verdict.lost()).isZero();
        assertThat(verdict.duplicates()).isZero();
        assertThat(verdict.orderViolations()).isZero();
        assertThat(verdict.sameKeyOverlaps()).isZero();
        assertThat(verdict.uncommittedAtEnd()).isZero();
        // Each record waited 1 ms from its acknowledgement, and nothing else was waiting meanwhile.
        assertThat(verdict.longestPartitionPauseMillis()).isEqualTo(1.0);
    }

    @Test
    void catchesARecordNeverProcessed() {
        processings.removeIf(p -> p.partition() == 1 && p.offset() == 4);

        GroupVerdict verdict = verify(List.of());

        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.examples()).anyMatch(e -> e.startsWith("lost 1@4"));
    }

    @Test
    void aRecordProcessedThatWasNeverAcknowledgedIsCountedNotFailed() {
        acks.removeIf(a -> a.partition() == 0 && a.offset() == 19);

        GroupVerdict verdict = verify(List.of());

        assertThat(verdict.unacknowledgedProcessed()).isEqualTo(1);
        assertThat(verdict.passed()).isTrue();
    }

    @Test
    void catchesADuplicateNoFaultExplains() {
        processings.add(processed("a-1", acks.get(3), ms(40)));

        GroupVerdict verdict = verify(List.of());

        assertThat(verdict.duplicates()).isEqualTo(1);
        assertThat(verdict.unexplainedDuplicates()).isEqualTo(1);
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void aKillExplainsRedoingWhatTheVictimFinishedAboveItsLastCommit() {
        // a-1 is killed at 30 ms with partition 0 committed up to offset 15; b-1 redoes 15 to 19 of partition 0.
        Fault kill = new Fault("kill-consumer", "a", ms(30), Set.of("a-1"), Map.of(0, 15L), true);
        acks.stream().filter(a -> a.partition() == 0 && a.offset() >= 15)
                .forEach(a -> processings.add(processed("b-1", a, ms(31) + a.offset() * 2000)));

        GroupVerdict verdict = verify(List.of(kill));

        assertThat(verdict.duplicates()).isEqualTo(5);
        assertThat(verdict.unexplainedDuplicates()).isZero();
        assertThat(verdict.faults()).singleElement()
                .satisfies(recovery -> assertThat(recovery.duplicatesExplained()).isEqualTo(5));
        assertThat(verdict.passed()).isTrue();
    }

    @Test
    void aKillDoesNotExplainRedoingWhatWasCommitted() {
        Fault kill = new Fault("kill-consumer", "a", ms(30), Set.of("a-1"), Map.of(0, 15L), true);
        acks.stream().filter(a -> a.partition() == 0 && a.offset() >= 14)
                .forEach(a -> processings.add(processed("b-1", a, ms(31) + a.offset() * 2000)));

        GroupVerdict verdict = verify(List.of(kill));

        assertThat(verdict.duplicates()).isEqualTo(6);
        assertThat(verdict.unexplainedDuplicates()).isEqualTo(1);
        assertThat(verdict.examples()).anyMatch(e -> e.startsWith("unexplained duplicate 0@14"));
    }

    @Test
    void aGracefulStopExplainsNoDuplicate() {
        Fault stop = new Fault("stop-consumer", "a", ms(30), Set.of("a-1"), Map.of(0, 15L), false);
        processings.add(processed("a-2", acks.get(27), ms(35)));

        GroupVerdict verdict = verify(List.of(stop));

        assertThat(verdict.unexplainedDuplicates()).isEqualTo(1);
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void aCutOffVictimRunningAStaleFetchAfterTheNewOwnerIsExplained() {
        // Cut at 10 ms; b-1 takes partition 1 over and processes offset 6 at 40 ms; the network returns and a-1 runs
        // the fetch it held, offset 6 included, at 50 ms, before it hears that it lost the partition.
        Fault cut = new Fault("network-cut", "a", ms(10), Set.of("a-1"), Map.of(0, 5L, 1, 2L), true);
        Ack staleFetch = acks.get(20);
        processings.removeIf(p -> p.partition() == 1 && p.offset() == staleFetch.offset());
        processings.add(processed("b-1", staleFetch, ms(40)));
        processings.add(processed("a-1", staleFetch, ms(50)));

        GroupVerdict verdict = verify(List.of(cut));

        assertThat(verdict.duplicates()).isEqualTo(1);
        assertThat(verdict.unexplainedDuplicates()).isZero();
    }

    @Test
    void workACutOffVictimDidAfterTheCutIsExplainedWorkOfOthersIsNot() {
        // Cut at 10 ms: a-1 goes on with what it had fetched; b-1 redoes some of it, and one record b-1 itself did.
        Fault cut = new Fault("network-cut", "a", ms(10), Set.of("a-1"), Map.of(0, 5L, 1, 2L), true);
        Ack doneByVictimAfterCut = acks.get(20);
        processings.add(processed("b-1", doneByVictimAfterCut, ms(40)));
        Processed byB = processed("b-1", acks.get(28), ms(41));
        processings.removeIf(p -> p.offset() == acks.get(28).offset() && p.partition() == acks.get(28).partition());
        processings.add(byB);
        processings.add(processed("c-1", acks.get(28), ms(42) + 500));

        GroupVerdict verdict = verify(List.of(cut));

        assertThat(verdict.duplicates()).isEqualTo(2);
        assertThat(verdict.unexplainedDuplicates()).isEqualTo(1);
    }

    @Test
    void catchesARecordProcessedForTheFirstTimeAfterALaterOneOfItsKey() {
        // k0's #2 (offset 2 of partition 0) first processed after its #3.
        Ack second = acks.stream().filter(a -> a.key().equals("k0") && a.sequence() == 2).findFirst().orElseThrow();
        processings.removeIf(p -> p.key().equals("k0") && p.sequence() == 2);
        processings.add(processed("a-1", second, ms(12) + 1500));

        GroupVerdict verdict = verify(List.of());

        assertThat(verdict.orderViolations()).isEqualTo(1);
        assertThat(verdict.examples()).anyMatch(e -> e.startsWith("order: k0#2"));
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void catchesTwoRecordsOfAKeyRunningAtOnceInOneProcessButNotInTwo() {
        Ack k1First = acks.get(1);
        Ack k1Second = acks.get(4);
        processings.removeIf(p -> p.key().equals("k1") && p.sequence() <= 1);
        processings.add(new Processed("a-1", k1First.partition(), k1First.offset(), "k1", 0, 0, ms(5), ms(8)));
        processings.add(new Processed("a-1", k1Second.partition(), k1Second.offset(), "k1", 1, 0, ms(6), ms(8)));

        assertThat(verify(List.of()).sameKeyOverlaps()).isEqualTo(1);

        processings.removeIf(p -> p.key().equals("k1") && p.sequence() == 1);
        processings.add(new Processed("b-1", k1Second.partition(), k1Second.offset(), "k1", 1, 0, ms(6), ms(8)));
        assertThat(verify(List.of()).sameKeyOverlaps()).isZero();
    }

    @Test
    void catchesOffsetsNotCommittedAtTheEnd() {
        GroupVerdict verdict = DeliveryVerifier.verify("g", acks, processings, List.of(), Map.of(0, 18L, 1, 10L),
                Map.of(0, 20L, 1, 10L));

        assertThat(verdict.uncommittedAtEnd()).isEqualTo(2);
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void measuresAPauseOnlyWhileRecordsWait() {
        // Partition 1's records from offset 5 on are processed only from 100 ms: a pause from the acknowledgement of
        // offset 5 (at 17 ms) to 100 ms. The whole group went on with partition 0 meanwhile.
        processings.removeIf(p -> p.partition() == 1 && p.offset() >= 5);
        acks.stream().filter(a -> a.partition() == 1 && a.offset() >= 5)
                .forEach(a -> processings.add(processed("a-1", a, ms(100) + (a.offset() - 5) * 2000)));
        Fault fault = new Fault("kill-broker", "1", ms(16), Set.of(), NOTHING_COMMITTED, true);

        GroupVerdict verdict = verify(List.of(fault));

        assertThat(verdict.longestPartitionPauseMillis()).isEqualTo(100.0 - 17.0);
        assertThat(verdict.faults()).singleElement()
                .satisfies(recovery -> assertThat(recovery.partitionPauseMillis()).isEqualTo(83.0));
        // Partition 0's last record was done at 30 ms; from then on the group waited on partition 1 alone.
        assertThat(verdict.longestTimelinePauseMillis()).isEqualTo(100.0 - 30.0);
    }

    private GroupVerdict verify(List<Fault> faults) {
        Map<Integer, Long> logEnd = Map.of(0, 20L, 1, 10L);
        return DeliveryVerifier.verify("g", acks, processings, faults, logEnd, logEnd);
    }

    private static Processed processed(String instance, Ack ack, long startMicros) {
        return new Processed(instance, ack.partition(), ack.offset(), ack.key(), ack.sequence(), ack.sentMicros(),
                startMicros, startMicros + 1000);
    }

    private static long ms(long millis) {
        return millis * 1000;
    }
}
