package io.parallelconsumer.internal.work;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.parallelconsumer.Ordering;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the work manager wakes an idle engine thread for a record that waits: for records that do in-memory work
 * it adds no thread beyond one per core unless the awake ones stall; for anything slower it does, and for slow
 * records it wakes a thread for each ready record at once.
 * The clock is a fake one; each engine thread is a real thread blocked in {@link WorkManager#take()}.
 */
class WorkManagerWakeTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final long MICROS = TimeUnit.MICROSECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(1_000_000);
    /** One core: one awake engine thread is all that in-memory records may use. */
    private final WorkManager<String, String> work =
            new WorkManager<>(Ordering.KEY, clock::get, 256, 1, WorkTuning.DEFAULTS);
    private final List<Thread> takers = new ArrayList<>();
    private long nextOffset;

    WorkManagerWakeTest() {
        work.assign(P0);
    }

    @AfterEach
    void releaseTakers() throws InterruptedException {
        work.stopDispatching();
        for (Thread taker : takers) {
            taker.join(10_000);
        }
    }

    private void add(String... keys) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (String key : keys) {
            records.add(record(key));
        }
        work.add(P0, records);
    }

    private ConsumerRecord<String, String> record(String key) {
        return new ConsumerRecord<>(P0.topic(), P0.partition(), nextOffset++, key, "v");
    }

    /** An engine thread asking for work; what it gets completes the future. */
    private CompletableFuture<WorkItem<String, String>> engineThreadTakes() {
        return engineThreadTakes(work);
    }

    private CompletableFuture<WorkItem<String, String>> engineThreadTakes(WorkManager<String, String> from) {
        CompletableFuture<WorkItem<String, String>> taken = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                taken.complete(from.take());
            }
            catch (Throwable ex) {
                taken.completeExceptionally(ex);
            }
        });
        takers.add(taker);
        taker.start();
        return taken;
    }

    /**
     * One engine thread runs a record of key "a" for {@code runNanos} and takes the next one of "a", so that it is
     * awake with a record in hand and the run-time estimate holds {@code runNanos}.
     */
    private void oneThreadBusy(long runNanos) throws Exception {
        add("a", "a");
        WorkItem<String, String> first = engineThreadTakes().get(10, TimeUnit.SECONDS);
        clock.addAndGet(runNanos);
        assertThat(work.completeAndPoll(first)).as("the busy thread's next record").isNotNull();
    }

    /** Engine threads that wait idle in {@link WorkManager#take()} once this returns. */
    private List<CompletableFuture<WorkItem<String, String>>> idleThreads(int count) {
        List<CompletableFuture<WorkItem<String, String>>> idle = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            idle.add(engineThreadTakes());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> work.idleThreadCount() == count);
        return idle;
    }

    /** {@link #oneThreadBusy}, then a second engine thread waits idle and a record of key "b" becomes ready. */
    private CompletableFuture<WorkItem<String, String>> oneThreadBusyOneIdleAndRecordWaiting(long runNanos)
            throws Exception {
        oneThreadBusy(runNanos);
        CompletableFuture<WorkItem<String, String>> idle = idleThreads(1).get(0);
        add("b");
        return idle;
    }

    @Test
    void inMemoryRecordsWakeNoThreadBeyondOnePerCoreWhileTheAwakeOnesComplete() throws Exception {
        CompletableFuture<WorkItem<String, String>> idle = oneThreadBusyOneIdleAndRecordWaiting(MICROS);

        clock.addAndGet(200 * MICROS);
        work.nudge();
        assertThat(work.idleThreadCount()).as("b waited 200 us, but the awake thread completed 200 us ago")
                .isEqualTo(1);

        clock.addAndGet(900 * MICROS);
        work.nudge();
        assertThat(work.idleThreadCount()).as("nothing completed for over 1 ms: the awake thread may be stuck")
                .isZero();
        assertThat(idle.get(10, TimeUnit.SECONDS).record().key()).isEqualTo("b");
    }

    @Test
    void whileTheAwakeThreadsStallAtMostOneMoreThreadWakesPerMillisecond() throws Exception {
        oneThreadBusy(MICROS);
        List<CompletableFuture<WorkItem<String, String>>> idle = idleThreads(2);
        add("b", "c");

        clock.addAndGet(1_100 * MICROS);
        work.nudge();
        work.nudge();
        assertThat(work.idleThreadCount()).as("one thread woken for the stall, not two").isEqualTo(1);

        clock.addAndGet(500 * MICROS);
        work.nudge();
        assertThat(work.idleThreadCount()).as("half a millisecond after the last wake-up").isEqualTo(1);

        clock.addAndGet(600 * MICROS);
        work.nudge();
        assertThat(work.idleThreadCount()).isZero();
        assertThat(List.of(idle.get(0).get(10, TimeUnit.SECONDS).record().key(),
                idle.get(1).get(10, TimeUnit.SECONDS).record().key())).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void recordsThatMayWaitOnIoWakeAnotherThreadOnceTheOldestHasWaited() throws Exception {
        CompletableFuture<WorkItem<String, String>> idle = oneThreadBusyOneIdleAndRecordWaiting(50 * MICROS);

        clock.addAndGet(50 * MICROS);
        work.nudge();
        assertThat(work.idleThreadCount()).as("b has waited only 50 us").isEqualTo(1);

        clock.addAndGet(60 * MICROS);
        work.nudge();
        assertThat(idle.get(10, TimeUnit.SECONDS).record().key()).isEqualTo("b");
    }

    @Test
    void slowRecordsWakeAThreadForEachReadyShardAtOnce() throws Exception {
        oneThreadBusy(5_000 * MICROS);
        List<CompletableFuture<WorkItem<String, String>>> idle = idleThreads(3);

        add("b", "c");
        assertThat(work.idleThreadCount()).as("a thread for b and one for c, in one go").isEqualTo(1);
        work.nudge();
        assertThat(work.idleThreadCount()).as("threads woken and not yet back are on their way to b and c")
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> idle.stream().filter(CompletableFuture::isDone).count() == 2);
        assertThat(idle.stream().filter(CompletableFuture::isDone).map(taken -> taken.join().record().key()))
                .containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void unorderedSlowRecordsWakeAThreadForEachQueuedRecordOfAPartition() throws Exception {
        WorkManager<String, String> unordered =
                new WorkManager<>(Ordering.UNORDERED, clock::get, 256, 1, WorkTuning.DEFAULTS);
        unordered.assign(P0);
        try {
            unordered.add(P0, List.of(record("a")));
            WorkItem<String, String> first = unordered.poll();
            clock.addAndGet(5_000 * MICROS);
            unordered.complete(first);
            List<CompletableFuture<WorkItem<String, String>>> idle = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                idle.add(engineThreadTakes(unordered));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> unordered.idleThreadCount() == 3);

            unordered.add(P0, List.of(record("b"), record("c")));
            assertThat(unordered.idleThreadCount()).as("one partition, but two records that may run side by side")
                    .isEqualTo(1);
        }
        finally {
            unordered.stopDispatching();
        }
    }

    @Test
    void beforeAnyRecordCompletesAFirstRecordRunningLongWakesAThreadForEachReadyShard() throws Exception {
        add("a");
        assertThat(engineThreadTakes().get(10, TimeUnit.SECONDS)).isNotNull();
        List<CompletableFuture<WorkItem<String, String>>> idle = idleThreads(3);
        add("b", "c", "d");
        assertThat(work.idleThreadCount()).as("a has only just started").isEqualTo(3);

        clock.addAndGet(200 * MICROS);
        work.nudge();
        assertThat(work.idleThreadCount()).as("a has run 200 us: records are slow").isZero();
        assertThat(idle.stream().map(taken -> taken.join().record().key())).containsExactlyInAnyOrder("b", "c", "d");
    }
}
