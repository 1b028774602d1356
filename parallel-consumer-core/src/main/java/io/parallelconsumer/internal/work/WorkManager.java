package io.parallelconsumer.internal.work;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.PartitionSnapshot;
import io.parallelconsumer.internal.events.ConsumerCounters;
import io.parallelconsumer.internal.offset.CompletedOffsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides which fetched record may run next, and keeps count of what is queued, running and incomplete.
 * <p>
 * Records are grouped into {@link Shard shards} by the ordering; a shard whose next record may run waits in the
 * {@link ReadyShards ready queue}, so that a record waits only for older ones and a busy key holds one worker at
 * most. Under {@code KEY} ordering a partition of in-memory records may run as {@link OneQueue one queue}; a worker
 * going from one record to the next may be handed several of one shard at once ({@link BatchLedger}). Idle engine
 * threads are woken by the {@link WakePolicy}.
 * <p>
 * This class is the one owner of the one {@link WorkLock lock}, which guards all of it and is held only for
 * bookkeeping, never while user code runs: a worker going from one record to the next acquires it once
 * ({@link #completeAndPoll}), the poller once per fetched batch ({@link #add}). The helpers it delegates to take no
 * lock of their own. The poller thread assigns partitions, adds records and reads offsets to commit
 * ({@link FetchedWork}, {@link CommittableWork}); engine threads take and complete records ({@link DispatchedWork}).
 */
public final class WorkManager<K, V>
        implements FetchedWork<K, V>, CommittableWork, DispatchedWork<K, V> {

    /** How often a thread waiting for a drain looks again, in case it missed a wake-up. */
    private static final long DRAIN_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LongSupplier nanoClock;
    private final WorkLock lock;
    private final IdleThreads idleThreads;
    private final RunTimeEstimate runTime;
    private final WorkCounts counts;
    private final ConsumerCounters counters = new ConsumerCounters();
    private final Assignment<K, V> assignment;
    private final ReadyShards<K, V> ready;
    private final OneQueue<K, V> oneQueue;
    private final BatchLedger<K, V> batches;
    private final WakePolicy<K, V> wake;
    private final Intake<K, V> intake;

    /**
     * @param concurrency how many records run at once, as the consumer is configured: with slow records it weighs
     *        how far a shard's queue moves it forward in the ready queue ({@link ReadyShards})
     */
    public WorkManager(Ordering ordering, LongSupplier nanoClock, int concurrency) {
        this(ordering, nanoClock, concurrency, Runtime.getRuntime().availableProcessors(), WorkTuning.DEFAULTS);
    }

    /** @param cores how many threads can run in-memory records at once (see {@link WakePolicy}) */
    WorkManager(Ordering ordering, LongSupplier nanoClock, int concurrency, int cores, WorkTuning tuning) {
        this.nanoClock = nanoClock;
        this.lock = new WorkLock(tuning);
        this.idleThreads = lock.idleThreads();
        this.runTime = new RunTimeEstimate(tuning);
        this.counts = new WorkCounts(lock);
        this.assignment = new Assignment<>(ordering, counts, counters, tuning);
        this.ready = new ReadyShards<>(runTime, concurrency, tuning);
        this.oneQueue = new OneQueue<>(ready, runTime, idleThreads, tuning, nanoClock.getAsLong());
        this.batches = new BatchLedger<>(counts, runTime, ready, nanoClock);
        this.wake = new WakePolicy<>(idleThreads, ready, runTime, counts, nanoClock, ordering, cores, tuning);
        this.intake = new Intake<>(ready, oneQueue);
    }

    /** The tally of this consumer, where its records' outcomes are counted (each partition's by its topic). */
    public ConsumerCounters counters() {
        return counters;
    }

    // ---- assignment (poller thread) ----

    @Override
    public int assign(TopicPartition tp) {
        return underLock(() -> assignment.assign(tp).epoch);
    }

    @Override
    public void stopDispatching(Collection<TopicPartition> tps) {
        underLock(() -> {
            for (TopicPartition tp : tps) {
                PartitionWork<K, V> pw = assignment.get(tp);
                if (pw != null) {
                    assignment.stopDispatching(pw);
                }
            }
            ready.removeIf(shard -> !shard.partition.dispatching);
        });
    }

    /** From now on {@link #take()} returns {@code null}. */
    @Override
    public void stopDispatching() {
        underLock(() -> {
            assignment.all().forEach(assignment::stopDispatching);
            ready.close();
            idleThreads.wakeAll();
        });
    }

    @Override
    public boolean awaitIdle(Collection<TopicPartition> tps, long deadlineNanos) throws InterruptedException {
        return awaitZero(() -> tps == null ? counts.running() : assignment.sum(tps, pw -> pw.running),
                deadlineNanos);
    }

    @Override
    public boolean awaitDrained(Collection<TopicPartition> tps, long deadlineNanos) throws InterruptedException {
        return awaitZero(() -> tps == null ? counts.incomplete()
                : assignment.sum(tps, pw -> pw.active ? pw.window.incomplete() : 0), deadlineNanos);
    }

    private boolean awaitZero(IntSupplier count, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            batches.settle();
            while (count.getAsInt() > 0) {
                long left = deadlineNanos - nanoClock.getAsLong();
                if (left <= 0) {
                    return false;
                }
                lock.awaitRunningChanged(Math.min(left, DRAIN_RECHECK_NANOS));
                batches.settle();
            }
            return true;
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public void revoke(Collection<TopicPartition> tps) {
        underLock(() -> {
            tps.forEach(assignment::revoke);
            ready.removeIf(shard -> !shard.partition.active);
        });
    }

    // ---- fetching (poller thread) ----

    @Override
    public void add(TopicPartition tp, List<ConsumerRecord<K, V>> records) {
        PartitionWork<K, V> pw = assignment.requireDispatching(tp); // partitions are written by this thread only
        intake.findShards(pw, records);
        lock.acquireAsPoller();
        try {
            int skipped = intake.queue(pw, records, nanoClock.getAsLong());
            pw.sweepIdleShards();
            counts.fetched(pw, records.size() - skipped, skipped);
            wake.signalIfReady();
        }
        finally {
            lock.unlock();
            intake.release();
        }
    }

    @Override
    public void skipAlreadyDone(TopicPartition tp, CompletedOffsets done) {
        underLock(() -> {
            PartitionWork<K, V> pw = assignment.active(tp);
            if (pw != null) {
                pw.alreadyDone = done;
            }
        });
    }

    @Override
    public void addCompleted(TopicPartition tp, long offset) {
        underLock(() -> assignment.requireDispatching(tp).window.addCompleted(offset));
    }

    @Override
    public void fetchPosition(TopicPartition tp, long position, long logEndOffset) {
        underLock(() -> {
            PartitionWork<K, V> pw = assignment.active(tp);
            if (pw != null) {
                pw.window.fetchPosition(position);
                if (logEndOffset >= 0) {
                    pw.logEndOffset = logEndOffset;
                }
            }
        });
    }

    @Override
    public void logEndOffset(TopicPartition tp, long logEndOffset) {
        underLock(() -> {
            PartitionWork<K, V> pw = assignment.active(tp);
            if (pw != null && logEndOffset > pw.logEndOffset) {
                pw.logEndOffset = logEndOffset;
            }
        });
    }

    // ---- execution (engine threads) ----

    @Override
    public WorkItem<K, V> take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            idleThreads.register();
            if (ready.isEmpty()) {
                oneQueue.holdLongRuns(assignment.all(), nanoClock.getAsLong()); // rather than go idle behind it
            }
            while (ready.isOpen() && ready.isEmpty()) {
                idleThreads.await();
            }
            return ready.isOpen() ? dequeue(false, nanoClock.getAsLong()) : null;
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public void nudge() {
        underLock(() -> {
            oneQueue.holdLongRuns(assignment.all(), nanoClock.getAsLong());
            wake.signalIfReady();
        });
    }

    @Override
    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    @Override
    public WorkItem<K, V> poll() {
        lock.lock();
        try {
            return !ready.isEmpty() ? dequeue(false, nanoClock.getAsLong()) : null;
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Takes the oldest record that may run and, if {@code batch}, the records queued behind it in its shard that
     * fit the batch budget, linked through {@link WorkItem#nextInBatch}. All of them count as running.
     */
    private WorkItem<K, V> dequeue(boolean batch, long now) {
        Shard<K, V> shard = ready.poll();
        while (shard.wholePartition && oneQueue.shouldSplit(shard)) {
            // nothing of it runs now (it was waiting its turn): split it and take what is ready then
            oneQueue.splitByKey(shard.partition, null, now);
            shard = ready.poll();
        }
        WorkItem<K, V> item = shard.queue.pollFirst();
        int taken = batch ? batches.open(item, shard) : 1;
        item.startedNanos = now;
        runTime.started(now);
        if (shard.partition.ordered()) {
            shard.busy = true;
        }
        if (shard.wholePartition) {
            shard.running = item;
        }
        else {
            ready.offer(shard, now);
        }
        counts.started(shard.partition, taken);
        wake.signalIfReady();
        return item;
    }

    @Override
    public WorkItem<K, V> nextInBatch(WorkItem<K, V> item, long startNanos) {
        WorkItem<K, V> next = item.nextInBatch;
        if (next == null || !ready.isOpen() || !next.partition.dispatching || !oneQueue.mayContinue(next.shard)) {
            return null;
        }
        next.startedNanos = startNanos;
        item.batchHead.publishBatchRunning(next);
        return next;
    }

    @Override
    public void attemptFailed(WorkItem<K, V> item) {
        if (item.batchHead == null && !item.shard.wholePartition) {
            return;
        }
        Runnable alarm;
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            batches.end(item, false, now);
            if (item.shard.wholePartition && item.partition.dispatching) {
                oneQueue.splitByKey(item.partition, item, now);
            }
            alarm = counts.takeAlarm();
            wake.signalIfReady();
        }
        finally {
            lock.unlock();
        }
        runOutsideLock(alarm);
    }

    @Override
    public void complete(WorkItem<K, V> item) {
        Runnable alarm;
        lock.lock();
        try {
            alarm = finish(item, nanoClock.getAsLong());
            wake.signalIfReady();
        }
        finally {
            lock.unlock();
        }
        runOutsideLock(alarm);
    }

    @Override
    public WorkItem<K, V> completeAndPoll(WorkItem<K, V> item) {
        Runnable alarm;
        WorkItem<K, V> next;
        lock.acquireAsWorker();
        try {
            long now = nanoClock.getAsLong();
            alarm = finish(item, now);
            next = !ready.isEmpty() ? dequeue(true, now) : null;
        }
        finally {
            lock.unlock();
        }
        runOutsideLock(alarm);
        return next;
    }

    private Runnable finish(WorkItem<K, V> item, long now) {
        batches.end(item, true, now);
        release(item.shard, now);
        return counts.takeAlarm();
    }

    /** The shard's record ended: the next one may run (or the one queue that was split while it ran is handed out). */
    private void release(Shard<K, V> shard, long now) {
        if (shard.wholePartition) {
            if (!shard.partition.asOneQueue) {
                oneQueue.splitByKey(shard.partition, null, now); // split while this run held it
                return;
            }
            shard.running = null;
        }
        shard.busy = false;
        ready.offer(shard, now);
    }

    @Override
    public boolean awaitRetry(WorkItem<K, V> item) {
        return underLock(() -> {
            PartitionWork<K, V> pw = counts.endRun(item);
            if (!pw.dispatching) {
                return false;
            }
            counts.waitingRetry(pw);
            return true;
        });
    }

    @Override
    public boolean retryNow(WorkItem<K, V> item) {
        return underLock(() -> {
            PartitionWork<K, V> pw = item.partition;
            if (!pw.dispatching) {
                return false; // dropped with its partition; counts were settled then
            }
            counts.retrying(pw);
            Shard<K, V> shard = item.shard;
            shard.queue.addFirst(item);
            shard.busy = false;
            ready.offer(shard, nanoClock.getAsLong());
            wake.signalIfReady();
            return true;
        });
    }

    @Override
    public void abandon(WorkItem<K, V> item) {
        underLock(() -> {
            item.partition.abandoned = true;
            counts.endRun(item);
        });
    }

    // ---- backpressure (poller thread, alarm on an engine thread) ----

    @Override
    public void onIncompleteAtMost(int mark, Runnable alarm) {
        Runnable reached = underLock(() -> counts.alarmAt(mark, alarm));
        runOutsideLock(reached);
    }

    private static void runOutsideLock(Runnable alarm) {
        if (alarm != null) {
            alarm.run(); // a poller waiting while paused learns at once that it may resume
        }
    }

    // ---- reading (poller thread and snapshots) ----

    @Override
    public Map<TopicPartition, OffsetAndMetadata> commitPositions(Collection<TopicPartition> tps,
            boolean withMetadata) {
        return settled(() -> assignment.commitPositions(tps, withMetadata));
    }

    @Override
    public void committed(TopicPartition tp, int epoch, long offset) {
        PartitionWork<K, V> pw = partition(tp);
        if (pw != null && pw.epoch == epoch && offset > pw.committedOffset) {
            pw.committedOffset = offset;
        }
    }

    @Override
    public int epoch(TopicPartition tp) {
        PartitionWork<K, V> pw = partition(tp);
        return pw == null ? -1 : pw.epoch;
    }

    private PartitionWork<K, V> partition(TopicPartition tp) {
        return underLock(() -> assignment.get(tp));
    }

    @Override
    public void markPaused(Set<TopicPartition> paused) {
        underLock(() -> assignment.all().forEach(pw -> pw.paused = paused.contains(pw.topicPartition)));
    }

    @Override
    public int incomplete() {
        return settled(() -> counts.incomplete());
    }

    @Override
    public Map<TopicPartition, Integer> incompleteByPartition() {
        return settled(() -> assignment.incompleteByPartition());
    }

    public WorkTotals totals() {
        return settled(() -> counts.totals());
    }


    /** The state of every assigned partition, with wall-clock times derived from the monotonic clock. */
    public List<PartitionSnapshot> partitionSnapshots(Instant now) {
        return settled(() -> assignment.snapshots(now, nanoClock.getAsLong()));
    }

    /** Engine threads waiting in {@link #take()} and not yet woken; for tests. */
    int idleThreadCount() {
        return underLock(idleThreads::size);
    }

    /** Under the lock, once the finished records of running batches are counted: what every reader needs. */
    private <T> T settled(Supplier<T> read) {
        return underLock(() -> {
            batches.settle();
            return read.get();
        });
    }

    private <T> T underLock(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        }
        finally {
            lock.unlock();
        }
    }

    private void underLock(Runnable action) {
        lock.lock();
        try {
            action.run();
        }
        finally {
            lock.unlock();
        }
    }
}
