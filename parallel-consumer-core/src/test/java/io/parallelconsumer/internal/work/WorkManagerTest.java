package io.parallelconsumer.internal.work;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import io.parallelconsumer.Ordering;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.parallelconsumer.internal.work.FetchedOffsets.records;
import static org.assertj.core.api.Assertions.assertThat;

class WorkManagerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final AtomicLong clock = new AtomicLong();

    private WorkManager<String, String> manager(Ordering ordering, TopicPartition... partitions) {
        WorkManager<String, String> work = new WorkManager<>(ordering, clock::get, 0);
        for (TopicPartition tp : partitions) {
            work.assign(tp);
        }
        return work;
    }

    private static List<WorkItem<String, String>> drainReady(WorkManager<String, String> work) {
        List<WorkItem<String, String>> taken = new ArrayList<>();
        WorkItem<String, String> item;
        while ((item = work.poll()) != null) {
            taken.add(item);
        }
        return taken;
    }

    private static List<Long> offsets(List<WorkItem<String, String>> items) {
        return items.stream().map(item -> item.record().offset()).toList();
    }

    @Test
    void keyOrderingRunsOneRecordPerKeyAtATime() {
        WorkManager<String, String> work = manager(Ordering.KEY, P0);
        work.add(P0, records(P0, 0, "a", "b", "a", null, "b", null));

        List<WorkItem<String, String>> first = drainReady(work);
        assertThat(offsets(first)).containsExactly(0L, 1L, 3L);

        work.complete(first.get(0)); // a@0 done: a@2 may run
        assertThat(offsets(drainReady(work))).containsExactly(2L);
        work.complete(first.get(2)); // null@3 done: null@5 may run
        assertThat(offsets(drainReady(work))).containsExactly(5L);
    }

    @Test
    void keysCompareByValueEvenForByteArrays() {
        WorkManager<byte[], String> work = new WorkManager<>(Ordering.KEY, clock::get, 0);
        work.assign(P0);
        work.add(P0, List.of(new ConsumerRecord<>("t", 0, 0, new byte[] {1}, "x"),
                new ConsumerRecord<>("t", 0, 1, new byte[] {1}, "y")));
        assertThat(work.poll()).isNotNull();
        assertThat(work.poll()).as("same key bytes wait").isNull();
    }

    @Test
    void partitionOrderingRunsOneRecordPerPartition() {
        WorkManager<String, String> work = manager(Ordering.PARTITION, P0, P1);
        work.add(P0, records(P0, 0, "a", "b"));
        work.add(P1, records(P1, 0, "c", "d"));

        List<WorkItem<String, String>> first = drainReady(work);
        assertThat(first).extracting(item -> item.record().partition() + "@" + item.record().offset())
                .containsExactly("0@0", "1@0");
        work.complete(first.get(1));
        assertThat(drainReady(work)).extracting(item -> item.record().partition() + "@" + item.record().offset())
                .containsExactly("1@1");
    }

    @Test
    void unorderedRunsEverythingAndAlternatesPartitions() {
        WorkManager<String, String> work = manager(Ordering.UNORDERED, P0, P1);
        work.add(P0, records(P0, 0, "a", "a", "a"));
        work.add(P1, records(P1, 0, "a"));

        assertThat(drainReady(work)).extracting(item -> item.record().partition() + "@" + item.record().offset())
                .containsExactly("0@0", "1@0", "0@1", "0@2");
    }

    @Test
    void unorderedPartitionsTakeTurnsWhateverArrivesMeanwhile() {
        WorkManager<String, String> work = new WorkManager<>(Ordering.UNORDERED, clock::get, 8);
        work.assign(P0);
        work.assign(P1);
        String[] hundred = new String[100];
        Arrays.fill(hundred, "a");
        work.add(P0, records(P0, 0, hundred));
        work.add(P1, records(P1, 0, "b"));
        assertThat(work.poll().record().partition()).isZero();

        work.add(P0, records(P0, 100, "a")); // P0 waits behind P1 now, and more records do not move it forward
        assertThat(drainReady(work)).extracting(item -> item.record().partition() + "@" + item.record().offset())
                .startsWith("1@0", "0@1", "0@2");
    }

    @Test
    void aHotKeyHoldsOneWorkerWhileTheOtherKeysAreServed() {
        WorkManager<String, String> work = manager(Ordering.KEY, P0);
        String[] keys = new String[110];
        for (int i = 0; i < 100; i++) {
            keys[i] = "hot";
        }
        for (int i = 100; i < 110; i++) {
            keys[i] = "k" + i;
        }
        work.add(P0, records(P0, 0, keys));

        // Whatever the hot key's backlog, while one worker runs it a second worker serves every other key in turn.
        WorkItem<String, String> hot = work.poll();
        assertThat(hot.record().key()).isEqualTo("hot");
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            WorkItem<String, String> item = work.poll();
            served.add(item.record().key());
            work.complete(item);
        }
        assertThat(served).containsExactly("k100", "k101", "k102", "k103", "k104", "k105", "k106", "k107", "k108",
                "k109");
        assertThat(work.poll()).as("the hot key is busy and nothing else is ready").isNull();
    }

    @Test
    void theOldestRecordThatMayRunGoesFirstSoLongKeysKeepTheirWorker() {
        WorkManager<String, String> work = manager(Ordering.KEY, P0);
        String[] keys = new String[300];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = i % 100 == 0 ? "long" : "f" + i;
        }
        work.add(P0, records(P0, 0, keys));

        List<Long> served = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            WorkItem<String, String> item = work.poll();
            served.add(item.record().offset());
            work.complete(item);
        }
        // Round-robin would send "long" to the back after each record, so long@100 would come after all 297 others;
        // by arrival it comes about where it arrived (give or take one bucket of the ready queue).
        assertThat(served.indexOf(100L)).isLessThan(100 + (int) ReadyQueue.BUCKET_SPAN);
        assertThat(served.indexOf(200L)).isLessThan(200 + (int) ReadyQueue.BUCKET_SPAN);
        assertThat(served).hasSize(300).doesNotHaveDuplicates();
    }

    @Test
    void revokedEpochCompletionsAreDropped() {
        WorkManager<String, String> work = manager(Ordering.KEY, P0);
        work.add(P0, records(P0, 0, "a", "b"));
        List<WorkItem<String, String>> running = drainReady(work);

        work.stopDispatching(List.of(P0));
        work.revoke(List.of(P0));
        assertThat(FetchedOffsets.commitOffsets(work, null)).isEmpty();

        int epoch = work.assign(P0);
        assertThat(epoch).isEqualTo(2);
        work.add(P0, records(P0, 0, "a"));
        running.forEach(work::complete); // late completions of epoch 1
        assertThat(FetchedOffsets.commitOffsets(work, null)).containsEntry(P0, 0L);
        assertThat(work.totals().running()).isZero();
        assertThat(work.incomplete()).isEqualTo(1);
    }

    @Test
    void completionsWhileDrainingCountButNothingNewStarts() throws Exception {
        WorkManager<String, String> work = manager(Ordering.KEY, P0);
        work.add(P0, records(P0, 0, "a", "b", "c"));
        WorkItem<String, String> first = work.poll();

        work.stopDispatching(List.of(P0));
        assertThat(work.poll()).isNull();
        work.complete(first);
        assertThat(work.awaitIdle(List.of(P0), clock.get())).isTrue();
        assertThat(FetchedOffsets.commitOffsets(work, List.of(P0))).containsEntry(P0, 1L);
    }

    @Test
    void aRecordWaitingToRetryHoldsBackItsKeyOnly() {
        WorkManager<String, String> work = manager(Ordering.KEY, P0);
        work.add(P0, records(P0, 0, "a", "a", "b"));
        List<WorkItem<String, String>> first = drainReady(work);
        assertThat(offsets(first)).containsExactly(0L, 2L);

        assertThat(work.awaitRetry(first.get(0))).isTrue();
        assertThat(work.totals().waitingRetry()).isEqualTo(1);
        assertThat(work.poll()).as("a@1 waits for a@0").isNull();

        work.retryNow(first.get(0));
        WorkItem<String, String> retried = work.poll();
        assertThat(retried.record().offset()).isZero();
        work.complete(retried);
        assertThat(offsets(drainReady(work))).containsExactly(1L);
    }

    @Test
    void stoppingDispatchReleasesTakers() throws Exception {
        WorkManager<String, String> work = manager(Ordering.KEY, P0);
        Thread taker = new Thread(() -> {
            try {
                assertThat(work.take()).isNull();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        taker.start();
        work.stopDispatching();
        taker.join(10_000);
        assertThat(taker.isAlive()).isFalse();
    }

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    /** A work manager for 10 workers whose run-time estimate says records run long (10 ms). */
    private WorkManager<String, String> slowWorkManager() {
        WorkManager<String, String> work = new WorkManager<>(Ordering.KEY, clock::get, 10);
        work.assign(P0);
        work.add(P0, records(P0, 0, "warm-up"));
        WorkItem<String, String> first = work.poll();
        clock.addAndGet(10_000_000);
        work.complete(first);
        return work;
    }

    @Test
    void withSlowRecordsAKeyWithALongQueueGoesAheadOfOlderSingleRecords() {
        WorkManager<String, String> work = slowWorkManager();
        work.add(P0, records(P0, 1, "a", "c", "b", "b", "b"));

        // b@3 arrived after a@1 and c@2, but b needs three runs in a row: it starts first, the others follow.
        assertThat(offsets(drainReady(work))).containsExactly(3L, 1L, 2L);
    }

    @Test
    void recordsAddedLaterMoveTheirWaitingKeyForward() {
        WorkManager<String, String> work = slowWorkManager();
        work.add(P0, records(P0, 1, "a", "b"));
        work.add(P0, records(P0, 3, "b", "b", "b"));

        assertThat(offsets(drainReady(work))).containsExactly(2L, 1L);
    }

    @Test
    void withSlowRecordsAKeyWithALongQueueGoesAheadOfAWholeBudgetOfOlderRecords() {
        WorkManager<String, String> work = slowWorkManager();
        String[] singles = new String[200];
        for (int i = 0; i < singles.length; i++) {
            singles[i] = "k" + i;
        }
        work.add(P0, records(P0, 1, singles));
        // Fetched last, as the records of the partition whose turn comes last at the end of a backlog: the key needs
        // three runs in a row, the others one each, so it starts first and arrival order decides among the rest.
        work.add(P0, records(P0, 201, "late", "late", "late"));

        List<Long> order = offsets(drainReady(work));
        assertThat(order).hasSize(201).startsWith(201L, 1L, 2L, 3L);
        assertThat(order.subList(1, order.size())).isSorted();
    }

    @Test
    void queuesLongerThanTheCountedMostAreTakenInArrivalOrder() {
        WorkManager<String, String> work = slowWorkManager();
        int longer = WorkTuning.DEFAULTS.maxQueuedCounted() + 6;
        work.add(P0, records(P0, 1, Collections.nCopies(longer, "first").toArray(String[]::new)));
        work.add(P0, records(P0, 1 + longer, Collections.nCopies(2 * longer, "second").toArray(String[]::new)));

        // Both queues go ahead of anything in flight; counted in full, the second would overtake the first.
        assertThat(offsets(drainReady(work))).containsExactly(1L, 1L + longer);
    }

    @Test
    void withFastRecordsArrivalOrderAloneDecides() {
        WorkManager<String, String> work = new WorkManager<>(Ordering.KEY, clock::get, 10);
        work.assign(P0);
        work.add(P0, records(P0, 0, "a", "c", "b", "b", "b"));

        assertThat(offsets(drainReady(work))).containsExactly(0L, 1L, 2L);
    }

    /**
     * Property: for random keys, partitions, fetch sizes and completion orders, the work manager never runs two
     * records of a key at once, runs each key's records in offset order, and never offers a commit offset above an
     * incomplete record.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void keepsKeyOrderAndCommitInvariantUnderRandomSchedules(long seed) {
        Random random = new Random(seed);
        // Records that run from nothing to 400 us: the ready queue's placement for slow records is exercised too.
        WorkManager<String, String> work = new WorkManager<>(Ordering.KEY, clock::get, 8);
        work.assign(P0);
        work.assign(P1);
        FetchedOffsets fetched = new FetchedOffsets(P0, P1);
        Map<String, Long> lastStarted = new HashMap<>();
        Set<String> runningKeys = new java.util.HashSet<>();
        List<WorkItem<String, String>> running = new ArrayList<>();
        int keys = 1 + random.nextInt(30);
        for (int step = 0; step < 3000; step++) {
            clock.addAndGet(random.nextInt(400_000));
            int action = random.nextInt(10);
            if (action < 3) {
                fetched.addRandom(work, random, 10, keys);
            }
            else if (action < 6) {
                WorkItem<String, String> item = work.poll();
                if (item != null) {
                    String key = item.record().partition() + "/" + item.record().key();
                    assertThat(runningKeys.add(key)).as("key %s already running", key).isTrue();
                    Long previous = lastStarted.put(key, item.record().offset());
                    if (previous != null) {
                        assertThat(item.record().offset()).isGreaterThan(previous);
                    }
                    running.add(item);
                }
            }
            else if (!running.isEmpty()) {
                WorkItem<String, String> item = running.remove(random.nextInt(running.size()));
                runningKeys.remove(item.record().partition() + "/" + item.record().key());
                work.complete(item);
                fetched.done(item.record());
            }
            fetched.assertCommitOffsets(work);
        }
    }
}
