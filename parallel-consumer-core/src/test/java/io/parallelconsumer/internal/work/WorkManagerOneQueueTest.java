package io.parallelconsumer.internal.work;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import io.parallelconsumer.Ordering;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.parallelconsumer.internal.work.FetchedOffsets.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Under {@code KEY} ordering, in-memory records of a partition with nothing in flight go to one queue for the whole
 * partition, run in offset order; the queue is split by key once a record of it fails, records turn slow, or it
 * grows longer than one thread keeps up with while others wait.
 */
class WorkManagerOneQueueTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    /** A run time well inside "in-memory". */
    private static final long FAST_NANOS = 200;
    /** A run time well outside it, and longer than a run of a one queue may take before it is split. */
    private static final long SLOW_NANOS = 2 * WorkTuning.DEFAULTS.holdAfterNanos();

    private final AtomicLong clock = new AtomicLong();

    /** A work manager whose estimate already says in-memory: one fast record of P1 has run. */
    private WorkManager<String, String> warmedUp() {
        WorkManager<String, String> work = new WorkManager<>(Ordering.KEY, clock::get, 8);
        work.assign(P0);
        work.assign(P1);
        work.add(P1, records(P1, 0, "warm"));
        WorkItem<String, String> item = work.poll();
        clock.addAndGet(FAST_NANOS);
        work.complete(item);
        return work;
    }

    /** Takes every record that may run now, one at a time, and returns their offsets in the order handed out. */
    private static List<Long> readyOffsets(WorkManager<String, String> work) {
        List<Long> offsets = new ArrayList<>();
        for (WorkItem<String, String> item; (item = work.poll()) != null; ) {
            offsets.add(item.record().offset());
        }
        return offsets;
    }

    private static List<Long> batchOffsets(WorkManager<String, String> work, WorkItem<String, String> head,
            long now) {
        List<Long> offsets = new ArrayList<>();
        for (WorkItem<String, String> item = head; item != null; item = work.nextInBatch(item, now)) {
            offsets.add(item.record().offset());
        }
        return offsets;
    }

    @Test
    void inMemoryRecordsOfAnIdlePartitionRunOneAfterTheOtherInOffsetOrderWhateverTheirKeys() {
        WorkManager<String, String> work = warmedUp();
        work.add(P0, records(P0, 0, "a", "b", "c", "a", "b"));

        WorkItem<String, String> first = work.poll();
        assertThat(first.record().offset()).isZero();
        assertThat(work.poll()).as("b@1 waits behind a@0 in the partition's one queue").isNull();

        clock.addAndGet(FAST_NANOS);
        WorkItem<String, String> batch = work.completeAndPoll(first);
        assertThat(batchOffsets(work, batch, clock.get())).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void beforeAnyRecordHasRunKeysRunSideBySide() {
        WorkManager<String, String> work = new WorkManager<>(Ordering.KEY, clock::get, 8);
        work.assign(P0);
        work.add(P0, records(P0, 0, "a", "b", "c"));

        assertThat(List.of(work.poll(), work.poll(), work.poll())).extracting(item -> item.record().key())
                .containsExactly("a", "b", "c");
    }

    @Test
    void aPartitionWithRecordsInFlightKeepsItsQueuePerKey() {
        WorkManager<String, String> work = warmedUp();
        work.add(P1, records(P1, 1, "a", "b"));
        assertThat(work.poll().record().key()).as("P1 went to one queue: it was idle").isEqualTo("a");
        work.add(P1, records(P1, 3, "c"));
        assertThat(work.poll()).as("still one queue: a@1 runs, b@2 and c@3 wait behind it").isNull();

        work.add(P0, records(P0, 0, "x", "y"));
        WorkItem<String, String> x = work.poll();
        clock.addAndGet(FAST_NANOS);
        work.add(P0, records(P0, 2, "z"));
        work.complete(x);
        assertThat(work.poll().record().offset()).as("P0's one queue: y@1, then z@2").isEqualTo(1);
    }

    @Test
    void aFailedRecordSplitsTheQueueSoThatItsRetriesHoldUpOnlyItsKey() {
        WorkManager<String, String> work = warmedUp();
        work.add(P0, records(P0, 0, "a", "b", "a", "c"));
        WorkItem<String, String> a0 = work.poll();

        work.attemptFailed(a0);
        assertThat(work.awaitRetry(a0)).isTrue();

        assertThat(readyOffsets(work)).as("a@2 waits for a@0's retry")
                .containsExactlyInAnyOrder(1L, 3L);

        work.retryNow(a0);
        WorkItem<String, String> retried = work.poll();
        assertThat(retried).isSameAs(a0);
        assertThat(work.poll()).isNull();
        clock.addAndGet(FAST_NANOS);
        work.complete(retried);
        assertThat(work.poll().record().offset()).isEqualTo(2);
    }

    @Test
    void aFailedRecordOfABatchGivesTheRestBackToTheirKeys() {
        WorkManager<String, String> work = warmedUp();
        work.add(P0, records(P0, 0, "a"));
        WorkItem<String, String> a0 = work.poll();
        work.add(P0, records(P0, 1, "b", "c", "b", "d"));
        clock.addAndGet(FAST_NANOS);
        WorkItem<String, String> b1 = work.completeAndPoll(a0);
        WorkItem<String, String> c2 = work.nextInBatch(b1, clock.get());
        assertThat(c2.record().offset()).isEqualTo(2);

        work.attemptFailed(c2);
        assertThat(work.awaitRetry(c2)).isTrue();

        assertThat(work.commitPositions(List.of(P0), false).get(P0).offset()).as("b@1 is done").isEqualTo(2);
        List<Long> ready = readyOffsets(work);
        assertThat(ready).as("b@3 and d@4 run while c@2 waits").containsExactlyInAnyOrder(3L, 4L);
    }

    @Test
    void recordsThatTurnSlowSplitTheQueueWhenItsTurnComes() {
        WorkManager<String, String> work = warmedUp();
        work.add(P0, records(P0, 0, "a", "b", "a", "c"));
        WorkItem<String, String> a0 = work.poll();
        assertThat(work.poll()).as("one queue").isNull();

        clock.addAndGet(SLOW_NANOS);
        work.complete(a0);

        List<Long> handedOut = readyOffsets(work);
        assertThat(handedOut).as("split by key: b@1, a@2 and c@3 side by side").containsExactly(1L, 2L, 3L);
    }

    @Test
    void aBatchStopsWhereItsRecordsTurnSlow() {
        WorkManager<String, String> work = warmedUp();
        work.add(P0, records(P0, 0, "a"));
        WorkItem<String, String> a0 = work.poll();
        work.add(P0, records(P0, 1, "b", "c", "d"));
        clock.addAndGet(FAST_NANOS);
        WorkItem<String, String> b1 = work.completeAndPoll(a0);
        assertThat(b1.record().offset()).isEqualTo(1);

        // Meanwhile other records of P1 turn out slow.
        work.add(P1, records(P1, 1, "s1", "s2", "s3"));
        for (int i = 0; i < 3; i++) {
            WorkItem<String, String> slow = work.poll();
            assertThat(slow.record().partition()).isEqualTo(1);
            clock.addAndGet(SLOW_NANOS);
            work.complete(slow);
        }

        assertThat(work.nextInBatch(b1, clock.get())).as("c@2 and d@3 are not run on b@1's thread").isNull();
        assertThat(work.completeAndPoll(b1).record().offset()).isEqualTo(2);
        assertThat(work.poll().record().offset()).as("split: d@3 runs beside c@2").isEqualTo(3);
    }

    @Test
    void aLongQueueSplitsWhileThreadsWaitForWork() throws Exception {
        WorkManager<String, String> work = warmedUp();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<WorkItem<String, String>> taken = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread thread = new Thread(() -> {
                try {
                    WorkItem<String, String> item = work.take();
                    if (item != null) {
                        taken.add(item);
                        release.await();
                        work.complete(item);
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            threads.add(thread);
        }
        try {
            await().atMost(10, TimeUnit.SECONDS).until(() -> work.idleThreadCount() == 2);
            String[] keys = LongStream.range(0, WorkTuning.DEFAULTS.splitQueued() + 100).mapToObj(i -> "k" + i)
                    .toArray(String[]::new);
            work.add(P0, records(P0, 0, keys));

            await().atMost(10, TimeUnit.SECONDS).until(() -> !taken.isEmpty());
            WorkItem<String, String> other = work.poll();
            assertThat(other).as("split: another key runs beside the first").isNotNull();
            assertThat(other.record().partition()).isZero();
        }
        finally {
            release.countDown();
            work.stopDispatching();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }

    @Test
    void aRecordRunningLongHoldsUpOnlyItsOwnKey() throws Exception {
        WorkManager<String, String> work = warmedUp();
        work.add(P0, records(P0, 0, "a", "b", "a", "c"));
        WorkItem<String, String> a0 = work.poll();
        assertThat(work.poll()).as("one queue").isNull();

        clock.addAndGet(2 * WorkTuning.DEFAULTS.holdAfterNanos());
        work.nudge();
        assertThat(List.of(work.poll(), work.poll())).extracting(item -> item.record().offset())
                .as("b@1 and c@3 run beside the long a@0").containsExactly(1L, 3L);
        assertThat(work.poll()).as("a@2 waits for a@0").isNull();

        work.complete(a0);
        assertThat(work.poll().record().offset()).isEqualTo(2);
        assertThat(work.commitPositions(List.of(P0), false).get(P0).offset()).isEqualTo(1);
    }

    @Test
    void aThreadAboutToWaitSplitsAQueueHeldUpByALongRun() throws Exception {
        WorkManager<String, String> work = warmedUp();
        work.add(P0, records(P0, 0, "a", "b"));
        WorkItem<String, String> a0 = work.poll();

        clock.addAndGet(2 * WorkTuning.DEFAULTS.holdAfterNanos());
        assertThat(work.take().record().offset()).as("taken at once, not waited for").isEqualTo(1);
        work.complete(a0);
    }

    @Test
    void aBatchRunningLongHoldsTheKeysStillAheadOfItAndHandsThemBackInOrder() {
        WorkManager<String, String> work = warmedUp();
        work.add(P0, records(P0, 0, "x"));
        WorkItem<String, String> x0 = work.poll();
        work.add(P0, records(P0, 1, "a", "b", "c", "b", "a", "d"));
        clock.addAndGet(FAST_NANOS);
        WorkItem<String, String> a1 = work.completeAndPoll(x0);
        // a batch of all six; a@1 is done, b@2 runs long
        WorkItem<String, String> b2 = work.nextInBatch(a1, clock.get());
        assertThat(b2.record().offset()).isEqualTo(2);
        work.add(P0, records(P0, 7, "a", "b", "c", "e"));

        clock.addAndGet(2 * WorkTuning.DEFAULTS.holdAfterNanos());
        work.nudge();
        List<Long> beside = readyOffsets(work);
        assertThat(beside).as("only e@10: a, b, c and d still have records in the running batch").containsExactly(10L);

        // the batch stops after c@3 (a failure, say): b@4, a@5 and d@6 go back to their keys, ahead of b@8, a@7
        WorkItem<String, String> c3 = work.nextInBatch(b2, clock.get());
        work.attemptFailed(c3);
        assertThat(work.awaitRetry(c3)).isTrue();
        List<Long> after = readyOffsets(work);
        assertThat(after).as("each key's oldest record; c waits for c@3's retry").containsExactlyInAnyOrder(4L, 5L, 6L);
    }

    @Test
    void anAbandonedRecordKeepsItsPartitionQueuedByKey() {
        WorkManager<String, String> work = warmedUp();
        work.add(P0, records(P0, 0, "a"));
        WorkItem<String, String> a0 = work.poll();
        work.attemptFailed(a0);
        work.abandon(a0);

        work.add(P0, records(P0, 1, "a", "b"));
        assertThat(work.poll().record().key()).as("a@1 waits behind the abandoned a@0").isEqualTo("b");
        assertThat(work.poll()).isNull();
    }

    static LongStream seeds() {
        return LongStream.range(0, 100);
    }

    /**
     * Property: whatever mixes of fast and slow runs, failures, retries and batches, the work manager never runs two
     * records of a key at once, runs each key's records in offset order, and never offers a commit offset above an
     * incomplete record - while partitions go to one queue and are split again.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void keepsKeyOrderAndCommitInvariantWhilePartitionsJoinAndSplitTheirQueues(long seed) {
        Random random = new Random(seed);
        WorkManager<String, String> work = new WorkManager<>(Ordering.KEY, clock::get, 8);
        work.assign(P0);
        work.assign(P1);
        Model model = new Model();
        FetchedOffsets fetched = new FetchedOffsets(P0, P1);
        List<Run> running = new ArrayList<>();
        List<WorkItem<String, String>> retrying = new ArrayList<>();
        int keys = 1 + random.nextInt(12);
        boolean slowPhase = false;
        for (int step = 0; step < 4000; step++) {
            if (random.nextInt(400) == 0) {
                slowPhase = !slowPhase;
            }
            // now and then one record far slower than the rest, which the estimate's median filters out
            clock.addAndGet(slowPhase || random.nextInt(100) == 0 ? SLOW_NANOS : FAST_NANOS);
            // adds rarer than takes and completions, so that partitions often run dry and may go to one queue
            int action = random.nextInt(12);
            if (action < 1) {
                fetched.addRandom(work, random, 8, keys);
            }
            else if (action < 5) {
                if (random.nextInt(4) == 0) {
                    work.nudge(); // a long run of a one queue is split here
                }
                model.start(work.poll(), running);
            }
            else if (action < 6 && !retrying.isEmpty()) {
                WorkItem<String, String> item = retrying.remove(random.nextInt(retrying.size()));
                model.retry(item);
                work.retryNow(item);
            }
            else if (!running.isEmpty()) {
                Run run = running.get(random.nextInt(running.size()));
                WorkItem<String, String> item = run.current;
                if (random.nextInt(25) == 0) {
                    // fails: the rest of its batch goes back, it waits for a retry holding its key
                    running.remove(run);
                    model.end(run, item);
                    work.attemptFailed(item);
                    assertThat(work.awaitRetry(item)).isTrue();
                    retrying.add(item);
                    continue;
                }
                WorkItem<String, String> next = work.nextInBatch(item, clock.get());
                fetched.done(item.record());
                if (next != null) {
                    model.next(run, next);
                    continue;
                }
                running.remove(run);
                model.end(run, null);
                model.start(work.completeAndPoll(item), running);
            }
            fetched.assertCommitOffsets(work);
        }
    }

    /** A batch (or a record on its own) handed to one worker, and the record of it that runs now. */
    private static final class Run {
        final Set<String> keys = new HashSet<>();
        WorkItem<String, String> current;
    }

    /**
     * What the property checks: a batch holds every key it contains from when it is handed out until it ends, so no
     * other worker may get a record of those keys meanwhile; a record that fails holds its key until its retry;
     * every record starts after the one of its key that started before it.
     */
    private static final class Model {
        private final Set<String> held = new HashSet<>();
        private final Map<String, Long> lastStarted = new HashMap<>();

        void start(WorkItem<String, String> head, List<Run> running) {
            if (head == null) {
                return;
            }
            Run run = new Run();
            for (WorkItem<String, String> item = head; item != null; item = item.nextInBatch) {
                run.keys.add(key(item));
            }
            for (String key : run.keys) {
                assertThat(held.add(key)).as("key %s already running", key).isTrue();
            }
            next(run, head);
            running.add(run);
        }

        void next(Run run, WorkItem<String, String> item) {
            if (run.current != null && !keyAhead(item, key(run.current))) {
                // the record before it finished and its key has no more records in the batch: free again
                held.remove(key(run.current));
                run.keys.remove(key(run.current));
            }
            Long previous = lastStarted.put(key(item), item.record().offset());
            if (previous != null) {
                assertThat(item.record().offset()).as("order of key %s", key(item)).isGreaterThan(previous);
            }
            run.current = item;
        }

        /** The run ended: its keys are free, but for that of {@code failed}, which waits for a retry. */
        void end(Run run, WorkItem<String, String> failed) {
            for (String key : run.keys) {
                if (failed == null || !key.equals(key(failed))) {
                    held.remove(key);
                }
            }
            // records handed out with the batch that never started run later, in order, from where it stopped
            for (WorkItem<String, String> item = run.current.nextInBatch; item != null; item = item.nextInBatch) {
                lastStarted.merge(key(item), item.record().offset() - 1, Math::min);
            }
        }

        private static boolean keyAhead(WorkItem<String, String> from, String key) {
            for (WorkItem<String, String> item = from; item != null; item = item.nextInBatch) {
                if (key(item).equals(key)) {
                    return true;
                }
            }
            return false;
        }

        void retry(WorkItem<String, String> item) {
            held.remove(key(item));
            lastStarted.put(key(item), item.record().offset() - 1);
        }

        private static String key(WorkItem<String, String> item) {
            return item.record().partition() + "/" + item.record().key();
        }
    }
}
