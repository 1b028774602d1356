package io.parallelconsumer.internal.work;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import io.parallelconsumer.Ordering;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static io.parallelconsumer.internal.work.FetchedOffsets.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With slow records and every engine thread busy, the work manager keeps the oldest ready records staged, so that a
 * worker that finds the lock taken defers its completion and starts a staged record instead of waiting. These tests
 * hold the lock on the test thread and play the worker on another; the clock is a fake one.
 */
class WorkManagerStagingTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int STAGED = WorkManager.STAGED_RECORDS;
    /** More keys than records are staged, so that some stay in the ready queue. */
    private static final int KEYS = STAGED + 4;

    private final AtomicLong clock = new AtomicLong(1_000_000);
    /** Concurrency 0: ready keys run in the arrival order of their next records, however long their queues. */
    private final WorkManager<String, String> work = new WorkManager<>(Ordering.KEY, clock::get, 0, 2);

    WorkManagerStagingTest() {
        work.assign(P0);
        work.assign(P1);
    }

    /**
     * {@link #KEYS} keys with three records each on P0 (k0, k1, ... then again, then again, so that key {@code i}'s
     * records are at offsets {@code i}, {@code KEYS + i} and {@code 2 * KEYS + i}); k0@0 has run slowly, and
     * k1@1 runs now.
     */
    private WorkItem<String, String> slowRecordsRunning() {
        String[] keys = new String[3 * KEYS];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "k" + (i % KEYS);
        }
        work.add(P0, records(P0, 0, keys));
        WorkItem<String, String> first = work.poll();
        clock.addAndGet(RUN_NANOS);
        // the estimate now says records are slow: from here on the lock's holder stages records ahead
        return work.completeAndPoll(first);
    }

    /** Runs {@code action} on a thread of its own - one that does not hold the lock - and waits for its result. */
    private static <T> T onAnotherThread(Callable<T> action) {
        try {
            return startThread(action).get(10, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static <T> FutureTask<T> startThread(Callable<T> action) {
        FutureTask<T> task = new FutureTask<>(action);
        Thread thread = new Thread(task, "staging-test");
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    private static List<Long> offsets(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void aWorkerFindingTheLockTakenStartsTheOldestStagedRecordAndItsCompletionCountsOnceTheLockIsFree() {
        WorkItem<String, String> running = slowRecordsRunning();
        assertThat(running.record().offset()).isEqualTo(1);
        clock.addAndGet(RUN_NANOS);

        List<WorkItem<String, String>> started = new ArrayList<>();
        work.holdLockWhile(() -> started.add(onAnotherThread(() -> work.completeAndPoll(running))));

        assertThat(started.get(0).record().offset())
                .as("the oldest ready record, k2@2 - not waiting for the lock").isEqualTo(2);
        // k0@0 and k1@1 are done: the commit offset covers both once the deferred completion of k1@1 is settled
        assertThat(work.commitOffsets(List.of(P0))).containsEntry(P0, 2L);
        assertThat(work.totals().running()).as("k2@2 running, the next ones staged").isEqualTo(STAGED);
    }

    @Test
    void aKeyWhoseCompletionIsDeferredRunsNothingElseUntilItIsSettled() {
        WorkItem<String, String> k1 = slowRecordsRunning();
        clock.addAndGet(RUN_NANOS);

        List<WorkItem<String, String>> started = new ArrayList<>();
        work.holdLockWhile(() -> {
            WorkItem<String, String> next = onAnotherThread(() -> work.completeAndPoll(k1));
            started.add(next);
            // every other worker that finds the lock taken goes on with a staged record, never one of k1
            for (int i = 1; i < STAGED; i++) {
                WorkItem<String, String> current = next;
                next = onAnotherThread(() -> work.completeAndPoll(current));
                started.add(next);
            }
        });

        assertThat(started).extracting(item -> item.record().key()).doesNotContain("k1").doesNotHaveDuplicates();
        assertThat(started).extracting(item -> item.record().offset())
                .as("the oldest ready records, in order").containsExactlyElementsOf(offsets(2, STAGED + 1));
        Map<TopicPartition, Long> commit = work.commitOffsets(List.of(P0));
        assertThat(commit).as("done below the last one started, which still runs").containsEntry(P0, STAGED + 1L);
        List<String> keysAfter = new ArrayList<>();
        for (WorkItem<String, String> item = work.poll(); item != null; item = work.poll()) {
            keysAfter.add(item.record().key() + "@" + item.record().offset());
        }
        assertThat(keysAfter).as("k1's next record runs once its completion is settled").contains("k1@" + (KEYS + 1));
    }

    @Test
    void recordsStagedWhenTheirPartitionStopsDispatchingNeverStart() {
        WorkItem<String, String> running = slowRecordsRunning();
        work.add(P1, records(P1, 0, "p1a", "p1b"));
        int runningBefore = work.totals().running();
        assertThat(runningBefore).as("one running, the next ones staged").isEqualTo(1 + STAGED);

        work.stopDispatching(List.of(P0));

        assertThat(work.totals().running()).as("only the record that runs: none staged").isEqualTo(1);
        clock.addAndGet(RUN_NANOS);
        WorkItem<String, String> next = work.completeAndPoll(running);
        assertThat(next).isNotNull();
        assertThat(next.record().topic() + "-" + next.record().partition()).isEqualTo("t-1");
    }

    @Test
    void stagedRecordsOfPartitionsStillDispatchingGoBackToTheirKeysInOrder() {
        WorkItem<String, String> running = slowRecordsRunning();
        work.add(P1, records(P1, 0, "p1a"));

        work.stopDispatching(List.of(P1)); // puts back P0's staged records, drops nothing of P0

        assertThat(work.totals().running()).as("P0's staged records went back to their keys").isEqualTo(1);
        List<Long> offsets = new ArrayList<>();
        for (WorkItem<String, String> item = work.poll(); item != null; item = work.poll()) {
            offsets.add(item.record().offset());
        }
        assertThat(offsets).as("the first record of every ready key of P0; k1@1 still runs")
                .containsExactlyInAnyOrderElementsOf(offsets(2, KEYS));
        // back in the ready queue by their arrival, behind keys of the same bucket of arrivals that were ready meanwhile
        assertThat(offsets.stream().filter(offset -> offset <= STAGED + 1).toList()).as("the once staged ones, in order")
                .containsExactlyElementsOf(offsets(2, STAGED + 1));
        assertThat(running.record().offset()).isEqualTo(1);
    }

    @Test
    void aThreadWokenForReadyWorkFindsItAndNothingIsStagedMeanwhile() throws Exception {
        FutureTask<WorkItem<String, String>> first = engineThreadTakes();
        await().until(() -> work.idleThreadCount() == 1);
        work.add(P0, records(P0, 0, "a"));
        WorkItem<String, String> a = first.get(10, TimeUnit.SECONDS);
        FutureTask<WorkItem<String, String>> second = engineThreadTakes();
        await().until(() -> work.idleThreadCount() == 1);
        work.add(P0, records(P0, 1, "b", "c", "d"));
        clock.addAndGet(RUN_NANOS);

        // a@0 was slow: completing it wakes the idle thread for c@2 and d@3, which must not be staged away from it
        WorkItem<String, String> b = work.completeAndPoll(a);

        assertThat(b.record().offset()).isEqualTo(1);
        assertThat(second.get(10, TimeUnit.SECONDS).record().offset()).isEqualTo(2);
        assertThat(work.totals().running()).as("b@1 and c@2 run, d@3 is ready, nothing staged").isEqualTo(2);
        assertThat(work.totals().queued()).isEqualTo(1);
    }

    private FutureTask<WorkItem<String, String>> engineThreadTakes() {
        return startThread(work::take);
    }

    /**
     * Engine threads running slow records on a real clock while another thread keeps taking the lock for a
     * millisecond at a time, so that workers defer completions and start staged records: every key's records still
     * start one at a time in offset order, each exactly once, and every offset ends up committable.
     */
    @Test
    void underContentionEveryRecordRunsOnceAndEachKeyInOrder() throws Exception {
        WorkManager<String, String> real = new WorkManager<>(Ordering.KEY, System::nanoTime, 32, 2);
        real.assign(P0);
        int keys = 50;
        int records = 3_000;
        String[] recordKeys = new String[records];
        for (int i = 0; i < records; i++) {
            recordKeys[i] = "k" + (i * 7 % keys);
        }
        real.add(P0, records(P0, 0, recordKeys));
        Map<String, List<Long>> startedByKey = new ConcurrentHashMap<>();
        AtomicBoolean overlap = new AtomicBoolean();
        Map<String, AtomicInteger> runningPerKey = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        List<FutureTask<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            workers.add(startThread(() -> {
                WorkItem<String, String> item = real.take();
                while (item != null) {
                    String key = item.record().key();
                    startedByKey.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(item.record().offset());
                    if (runningPerKey.computeIfAbsent(key, k -> new AtomicInteger())
                            .incrementAndGet() > 1) {
                        overlap.set(true);
                    }
                    Thread.sleep(1); // slow: the work manager stages records ahead
                    runningPerKey.get(key).decrementAndGet();
                    WorkItem<String, String> next = real.completeAndPoll(item);
                    item = next != null ? next : real.take();
                }
                return null;
            }));
        }
        FutureTask<Void> hog = startThread(() -> {
            while (!done.get()) {
                real.holdLockWhile(() -> {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                });
                Thread.sleep(1); // and leave it to the workers as long
            }
            return null;
        });

        await().atMost(Duration.ofSeconds(60))
                .until(() -> real.commitOffsets(List.of(P0)).getOrDefault(P0, -1L) == records);
        done.set(true);
        hog.get(10, TimeUnit.SECONDS);
        real.stopDispatching();
        for (FutureTask<Void> worker : workers) {
            worker.get(10, TimeUnit.SECONDS);
        }

        assertThat(overlap).as("two records of one key ran at once").isFalse();
        List<Long> all = new ArrayList<>();
        startedByKey.forEach((key, offsets) -> {
            assertThat(offsets).as("key %s in offset order", key).isSorted();
            all.addAll(offsets);
        });
        assertThat(all).hasSize(records).doesNotHaveDuplicates();
        assertThat(real.totals().incomplete()).isZero();
        assertThat(real.totals().running()).isZero();
    }
}
