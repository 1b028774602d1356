package io.parallelconsumer.internal.work;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.PartitionSnapshot;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fast records of one shard handed to a worker together: they run in order on that worker, and whatever happens
 * to the batch, nothing done is counted undone for longer than it runs, and nothing not done is counted done.
 */
class WorkManagerBatchTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final AtomicLong clock = new AtomicLong();
    private WorkManager<String, String> work;
    private WorkItem<String, String> other;
    private WorkItem<String, String> batch;

    /** a@0..a@4 and b@5; a@0 and b@5 run alone, then a@1..a@4 are handed out as one batch. */
    @BeforeEach
    void handOutABatch() {
        work = new WorkManager<>(Ordering.KEY, clock::get, 0);
        work.assign(P0);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        String[] keys = { "a", "a", "a", "a", "a", "b" };
        for (int i = 0; i < keys.length; i++) {
            records.add(new ConsumerRecord<>("t", 0, i, keys[i], "v" + i));
        }
        work.add(P0, records);
        WorkItem<String, String> first = work.poll();
        assertThat(first.record().offset()).isZero();
        other = work.poll();
        assertThat(other.record().offset()).isEqualTo(5);
        clock.addAndGet(100);
        batch = work.completeAndPoll(first);
    }

    @Test
    void recordsOfOneKeyComeTogetherAndRunInOrder() {
        List<Long> ran = new ArrayList<>();
        WorkItem<String, String> item = batch;
        WorkItem<String, String> last = item;
        while (item != null) {
            ran.add(item.record().offset());
            last = item;
            item = work.nextInBatch(item, clock.get());
        }
        assertThat(ran).containsExactly(1L, 2L, 3L, 4L);
        assertThat(work.totals().running()).as("a@1..a@3 are done; a@4 and b@5 run").isEqualTo(2);

        assertThat(work.completeAndPoll(last)).isNull();
        assertThat(work.totals().incomplete()).as("only b@5 left").isEqualTo(1);
        assertThat(work.commitPositions(List.of(P0), false).get(P0).offset()).isEqualTo(5);
    }

    @Test
    void whileALaterRecordRunsTheOnesBeforeItCountAsDone() {
        WorkItem<String, String> second = work.nextInBatch(batch, clock.get());
        WorkItem<String, String> third = work.nextInBatch(second, clock.get());
        assertThat(third.record().offset()).isEqualTo(3);

        // a@3 runs long (or never returns): a@1 and a@2 must not hold the commit or the blocking offset back.
        assertThat(work.commitPositions(List.of(P0), false).get(P0).offset()).isEqualTo(3);
        PartitionSnapshot snapshot = work.partitionSnapshots(Instant.now()).get(0);
        assertThat(snapshot.blockingOffset()).isEqualTo(3);
        assertThat(snapshot.incomplete()).as("a@3, a@4, b@5").isEqualTo(3);
        assertThat(work.totals().running()).as("a@3 and a@4, still handed out, and b@5").isEqualTo(3);

        // When the batch ends, what was counted already is not counted twice.
        WorkItem<String, String> fourth = work.nextInBatch(third, clock.get());
        assertThat(fourth.record().offset()).isEqualTo(4);
        assertThat(work.completeAndPoll(fourth)).isNull();
        assertThat(work.totals().incomplete()).as("b@5").isEqualTo(1);
        assertThat(work.totals().running()).isEqualTo(1);
    }

    @Test
    void aFailedRecordLeavesItsBatchAndTheRecordsAfterItWaitBehindIt() {
        WorkItem<String, String> failed = work.nextInBatch(batch, clock.get());
        work.attemptFailed(failed);
        assertThat(work.commitPositions(List.of(P0), false).get(P0).offset()).as("a@1 done").isEqualTo(2);
        assertThat(work.totals().queued()).as("a@3, a@4 back in their shard").isEqualTo(2);

        assertThat(work.awaitRetry(failed)).isTrue();
        assertThat(work.poll()).as("a@3 waits for the retry of a@2").isNull();

        work.retryNow(failed);
        WorkItem<String, String> retried = work.poll();
        assertThat(retried.record().offset()).isEqualTo(2);
        work.complete(retried);
        assertThat(drainOffsets()).containsExactly(3L);
    }

    @Test
    void recordsNotStartedWhenTheirPartitionStopsAreDroppedUndone() {
        work.stopDispatching(List.of(P0));
        assertThat(work.nextInBatch(batch, clock.get())).as("nothing new starts").isNull();
        assertThat(work.completeAndPoll(batch)).isNull();

        assertThat(work.totals().running()).as("b@5 may still complete").isEqualTo(1);
        assertThat(work.commitPositions(List.of(P0), false).get(P0).offset()).as("only a@0 and a@1 done")
                .isEqualTo(2);
    }

    @Test
    void slowRecordsAreHandedOutOneAtATime() {
        // The batch runs 10 ms per record: the run-time estimate moves past the batch budget.
        WorkItem<String, String> item = batch;
        WorkItem<String, String> last = batch;
        while (item != null) {
            clock.addAndGet(10_000_000);
            last = item;
            item = work.nextInBatch(item, clock.get());
        }
        assertThat(work.completeAndPoll(last)).isNull();
        work.add(P0, List.of(new ConsumerRecord<>("t", 0, 6, "c", "x"), new ConsumerRecord<>("t", 0, 7, "c", "y"),
                new ConsumerRecord<>("t", 0, 8, "c", "z")));

        clock.addAndGet(10_000_000);
        WorkItem<String, String> alone = work.completeAndPoll(other);
        assertThat(alone.record().offset()).isEqualTo(6);
        assertThat(work.nextInBatch(alone, clock.get())).isNull();
        assertThat(work.totals().queued()).as("c@7 and c@8 wait in their shard").isEqualTo(2);
    }

    /**
     * Property: workers that go on within batches and between them (as the platform engine does), fail now and
     * then and retry, never run two records of a key at once, run each key's records in offset order, and the
     * commit offset is always exactly the lowest record not yet finished - records finished inside a batch count
     * at once, never before they finish.
     */
    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })
    void batchesKeepKeyOrderAndTheCommitInvariantUnderRandomSchedules(long seed) {
        Random random = new Random(seed);
        work = new WorkManager<>(Ordering.KEY, clock::get, 0);
        work.assign(P1);
        long nextOffset = 0;
        int keys = 1 + random.nextInt(6);
        TreeSet<Long> unfinished = new TreeSet<>();
        Set<String> busyKeys = new HashSet<>();
        Map<String, Long> lastStarted = new HashMap<>();
        Set<String> retried = new HashSet<>();
        List<WorkItem<String, String>> waitingRetry = new ArrayList<>();
        List<WorkItem<String, String>> workers = new ArrayList<>(Collections.nCopies(3, null));
        for (int step = 0; step < 4000 || !unfinished.isEmpty(); step++) {
            boolean drainOnly = step >= 4000;
            clock.addAndGet(random.nextInt(1000));
            int action = random.nextInt(10);
            if (!drainOnly && action < 2) {
                List<ConsumerRecord<String, String>> fetched = new ArrayList<>();
                for (int i = random.nextInt(12); i >= 0; i--) {
                    unfinished.add(nextOffset);
                    fetched.add(new ConsumerRecord<>("t", 1, nextOffset++, "k" + random.nextInt(keys), "v"));
                }
                work.add(P1, fetched);
            }
            else if (action < 3 && !waitingRetry.isEmpty()) {
                WorkItem<String, String> item = waitingRetry.remove(random.nextInt(waitingRetry.size()));
                busyKeys.remove(item.record().key());
                retried.add(item.record().key());
                work.retryNow(item);
            }
            else {
                int worker = random.nextInt(workers.size());
                WorkItem<String, String> item = workers.get(worker);
                WorkItem<String, String> next;
                if (item == null) {
                    next = work.poll();
                }
                else if (!drainOnly && random.nextInt(8) == 0) {
                    work.attemptFailed(item);
                    assertThat(work.awaitRetry(item)).isTrue();
                    waitingRetry.add(item);
                    next = null;
                }
                else {
                    unfinished.remove(item.record().offset());
                    busyKeys.remove(item.record().key());
                    next = work.nextInBatch(item, clock.get());
                    if (next == null) {
                        next = work.completeAndPoll(item);
                    }
                }
                if (next != null) {
                    String key = next.record().key();
                    assertThat(busyKeys.add(key)).as("key %s already running", key).isTrue();
                    Long previous = lastStarted.put(key, next.record().offset());
                    if (previous != null && !retried.remove(key)) {
                        assertThat(next.record().offset()).isGreaterThan(previous);
                    }
                }
                workers.set(worker, next);
            }
            Long commit = FetchedOffsets.commitOffsets(work, null).get(P1);
            Long expected = unfinished.isEmpty() ? (nextOffset == 0 ? null : nextOffset) : unfinished.first();
            assertThat(commit).as("step %d", step).isEqualTo(expected);
        }
        assertThat(work.totals()).isEqualTo(new WorkTotals(0, 0, 0, 0, 0));
    }

    private List<Long> drainOffsets() {
        List<Long> offsets = new ArrayList<>();
        WorkItem<String, String> item;
        while ((item = work.poll()) != null) {
            offsets.add(item.record().offset());
        }
        return offsets;
    }

    @Test
    void aBatchThatLostItsCoreCountsAsOneLookAtTheRunTimeNotAsManySlowRecords() {
        WorkManager<String, String> fast = new WorkManager<>(Ordering.KEY, clock::get, 0);
        fast.assign(P1);
        long offset = 0;
        List<ConsumerRecord<String, String>> singles = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            singles.add(new ConsumerRecord<>("t", 1, offset++, "k" + i, "v"));
        }
        fast.add(P1, singles);
        for (WorkItem<String, String> item = fast.poll(); item != null; ) {
            clock.addAndGet(1_000);
            item = fast.completeAndPoll(item);
        }

        assertThat(runOneKey(fast, "a", offset, 2_000_000)).as("a's last records, handed out together").isEqualTo(3);
        assertThat(runOneKey(fast, "b", offset + 4, 1_000))
                .as("the batch of a lost its core for 2 ms: one look, so records still run in microseconds")
                .isEqualTo(3);
    }

    /**
     * Four records of {@code key}: the first runs alone for a microsecond, then the batch handed out when it
     * completes, which takes {@code batchNanos}, then any left a microsecond each; returns that batch's size.
     */
    private int runOneKey(WorkManager<String, String> from, String key, long offset, long batchNanos) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            records.add(new ConsumerRecord<>("t", 1, offset + i, key, "v"));
        }
        from.add(P1, records);
        WorkItem<String, String> first = from.poll();
        clock.addAndGet(1_000);
        WorkItem<String, String> item = from.completeAndPoll(first);
        int size = 1;
        for (WorkItem<String, String> next = from.nextInBatch(item, clock.get()); next != null;
                next = from.nextInBatch(item, clock.get())) {
            item = next;
            size++;
        }
        clock.addAndGet(batchNanos);
        for (WorkItem<String, String> rest = from.completeAndPoll(item); rest != null; ) {
            clock.addAndGet(1_000);
            rest = from.completeAndPoll(rest);
        }
        return size;
    }
}
