package io.parallelconsumer.internal.work;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.PartitionSnapshot;
import io.parallelconsumer.internal.offset.CompletedOffsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides which fetched record may run next, and keeps count of what is queued, running and incomplete.
 * <p>
 * Records are grouped into {@link Shard shards} by the ordering. A shard whose next record may run sits in one ready
 * queue. Under {@code KEY} and {@code PARTITION} ordering the queue is ordered by the arrival of each shard's next
 * record: a worker always takes the oldest record that may run, and when it completes, the shard rejoins the queue
 * placed by the arrival of its following record. A record therefore waits only for older ones and a busy key holds
 * one worker at most, so a hot key cannot starve the others; and a key with a long queue, whose records have waited
 * longest, gets a worker back as soon as it finishes one, so that the longest keys do not all end up at the tail of
 * a drain. Under {@code UNORDERED} (one shard per partition) a shard rejoins behind every shard already waiting,
 * so partitions take turns record by record.
 * <p>
 * One lock guards all of it. The lock is held only for bookkeeping, never while user code runs; a worker going
 * from one record to the next acquires it once ({@link #completeAndPoll}), and the poller once per fetched batch.
 * Idle engine threads are woken sparingly (see {@link #signalIfReady()}), so that fast handlers are not slowed by
 * a wake-up per record. The poller thread adds records and reads offsets to commit; engine threads take and
 * complete records.
 */
public final class WorkManager<K, V> {

    /** How long a ready record may wait for a busy thread before an idle one is woken for it. */
    private static final long WAKE_AFTER_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int LOCK_SPINS = 64;

    private final Ordering ordering;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workReady = lock.newCondition();
    private final Condition runningChanged = lock.newCondition();
    /** Shards whose next record may run, oldest next record first. */
    private final ReadyQueue<K, V> ready = new ReadyQueue<>();
    /** Arrival number of the next record added, for the ready queue's order. */
    private long nextSequence;
    private final Map<TopicPartition, PartitionWork<K, V>> partitions = new HashMap<>();
    private final Map<TopicPartition, Integer> epochs = new HashMap<>();

    private int queued;
    private long alreadyDoneSkipped;
    private int running;
    private int waitingRetry;
    private int incomplete;
    private boolean dispatching = true;
    /** Engine threads blocked in {@link #take()}. */
    private int waiting;
    /** Threads waiting for partitions to drain or go idle. */
    private int drainWaiters;
    /** Moving average of how long a record runs, to tell fast handlers from slow ones. */
    private long averageRunNanos;
    private long lastWakeNanos;
    private int lowWaterMark;
    private Runnable lowWaterAlarm;

    public WorkManager(Ordering ordering, LongSupplier nanoClock) {
        this.ordering = ordering;
        this.nanoClock = nanoClock;
    }

    // ---- assignment (poller thread) ----

    /** Starts a new epoch for a newly assigned partition. Returns the epoch. */
    public int assign(TopicPartition tp) {
        lock.lock();
        try {
            int epoch = epochs.merge(tp, 1, Integer::sum);
            PartitionWork<K, V> previous = partitions.put(tp, new PartitionWork<>(tp, epoch, ordering));
            if (previous != null) {
                fence(previous);
            }
            return epoch;
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Stops starting records of these partitions: what is queued or waiting to retry is dropped (it stays incomplete,
     * so it is never committed past), while what runs may still complete and count.
     */
    public void stopDispatching(Collection<TopicPartition> tps) {
        lock.lock();
        try {
            for (TopicPartition tp : tps) {
                PartitionWork<K, V> pw = partitions.get(tp);
                if (pw != null) {
                    stopDispatching(pw);
                }
            }
            ready.removeIf(shard -> !shard.partition.dispatching);
        }
        finally {
            lock.unlock();
        }
    }

    /** Stops starting any record: from now on {@link #take()} returns {@code null}. Running records may complete. */
    public void stopDispatching() {
        lock.lock();
        try {
            dispatching = false;
            partitions.values().forEach(this::stopDispatching);
            ready.clear();
            workReady.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    private void stopDispatching(PartitionWork<K, V> pw) {
        if (!pw.dispatching) {
            return;
        }
        pw.dispatching = false;
        for (Shard<K, V> shard : pw.shards()) {
            shard.queue.clear();
            shard.inReady = false;
        }
        queued -= pw.queued;
        pw.queued = 0;
        waitingRetry -= pw.waitingRetry;
        pw.waitingRetry = 0;
    }

    /**
     * Waits until no record of these partitions (or of any partition, when {@code tps} is {@code null}) is running,
     * or until the deadline.
     * @return whether they are idle
     */
    public boolean awaitIdle(Collection<TopicPartition> tps, long deadlineNanos) throws InterruptedException {
        return awaitZero(() -> runningIn(tps), deadlineNanos);
    }

    /**
     * Waits until every record fetched from these partitions (or from any, when {@code tps} is {@code null}) is
     * complete - queued, running and retrying ones alike - or until the deadline. Used before handing partitions
     * over or shutting down, so that the commit covers everything fetched and nothing done is redone elsewhere.
     * @return whether everything fetched is complete
     */
    public boolean awaitDrained(Collection<TopicPartition> tps, long deadlineNanos) throws InterruptedException {
        return awaitZero(() -> incompleteIn(tps), deadlineNanos);
    }

    private boolean awaitZero(IntSupplier count, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (count.getAsInt() > 0) {
                long left = deadlineNanos - nanoClock.getAsLong();
                if (left <= 0) {
                    return false;
                }
                drainWaiters++;
                try {
                    runningChanged.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                }
                finally {
                    drainWaiters--;
                }
            }
            return true;
        }
        finally {
            lock.unlock();
        }
    }

    private int runningIn(Collection<TopicPartition> tps) {
        return tps == null ? running : sum(tps, pw -> pw.running);
    }

    private int incompleteIn(Collection<TopicPartition> tps) {
        return tps == null ? incomplete : sum(tps, pw -> pw.active ? pw.window.incomplete() : 0);
    }

    private int sum(Collection<TopicPartition> tps, ToIntFunction<PartitionWork<K, V>> count) {
        int sum = 0;
        for (TopicPartition tp : tps) {
            PartitionWork<K, V> pw = partitions.get(tp);
            sum += pw == null ? 0 : count.applyAsInt(pw);
        }
        return sum;
    }

    /** Forgets these partitions: completions of their current epoch are dropped from now on. */
    public void revoke(Collection<TopicPartition> tps) {
        lock.lock();
        try {
            for (TopicPartition tp : tps) {
                PartitionWork<K, V> pw = partitions.remove(tp);
                if (pw != null) {
                    fence(pw);
                }
            }
            ready.removeIf(shard -> !shard.partition.active);
        }
        finally {
            lock.unlock();
        }
    }

    private void fence(PartitionWork<K, V> pw) {
        stopDispatching(pw);
        pw.active = false;
        incomplete -= pw.window.incomplete();
    }

    // ---- fetching (poller thread) ----

    /** Adds records fetched from one partition, in offset order. */
    public void add(TopicPartition tp, List<ConsumerRecord<K, V>> records) {
        acquire();
        try {
            PartitionWork<K, V> pw = requireDispatching(tp);
            long now = nanoClock.getAsLong();
            int skipped = 0;
            for (ConsumerRecord<K, V> record : records) {
                if (pw.alreadyDone != null && alreadyDone(pw, record.offset())) {
                    pw.window.addCompleted(record.offset());
                    skipped++;
                    continue;
                }
                Shard<K, V> shard = pw.shardFor(record.key());
                long handle = pw.window.add(record.offset(), now);
                shard.queue.addLast(new WorkItem<>(record, pw, shard, handle, nextSequence++));
                makeReadyIfEligible(shard, now);
            }
            int added = records.size() - skipped;
            pw.queued += added;
            queued += added;
            incomplete += added;
            alreadyDoneSkipped += skipped;
            signalIfReady();
        }
        finally {
            lock.unlock();
        }
    }

    private static boolean alreadyDone(PartitionWork<?, ?> pw, long offset) {
        boolean done = pw.alreadyDone.contains(offset);
        if (pw.alreadyDone.exhaustedAt(offset)) {
            pw.alreadyDone = null;
        }
        return done;
    }

    /**
     * Notes the offsets that the partition's previous owner had already completed (read from the commit metadata on
     * assignment): when fetched, they are counted as done without running.
     */
    public void skipAlreadyDone(TopicPartition tp, CompletedOffsets done) {
        lock.lock();
        try {
            PartitionWork<K, V> pw = partitions.get(tp);
            if (pw != null && pw.active) {
                pw.alreadyDone = done;
            }
        }
        finally {
            lock.unlock();
        }
    }

    /** Records an offset that was fetched but needs no processing (it was given up on before it could run). */
    public void addCompleted(TopicPartition tp, long offset) {
        lock.lock();
        try {
            requireDispatching(tp).window.addCompleted(offset);
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Notes where fetching of a partition stands after a poll: the next fetch offset (committed when nothing of the
     * partition is incomplete) and, when known ({@code >= 0}), the log-end offset.
     */
    public void fetchPosition(TopicPartition tp, long position, long logEndOffset) {
        lock.lock();
        try {
            PartitionWork<K, V> pw = partitions.get(tp);
            if (pw != null && pw.active) {
                pw.window.fetchPosition(position);
                if (logEndOffset >= 0) {
                    pw.logEndOffset = logEndOffset;
                }
            }
        }
        finally {
            lock.unlock();
        }
    }

    private PartitionWork<K, V> requireDispatching(TopicPartition tp) {
        PartitionWork<K, V> pw = partitions.get(tp);
        if (pw == null || !pw.dispatching) {
            throw new IllegalStateException("Records fetched for " + tp + ", which is not assigned to this consumer");
        }
        return pw;
    }

    // ---- execution (engine threads) ----

    /**
     * Takes the next record that may run, waiting for one if need be.
     * @return the record, or {@code null} once dispatching has stopped for good
     */
    public WorkItem<K, V> take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (dispatching && ready.isEmpty()) {
                waiting++;
                try {
                    workReady.await();
                }
                finally {
                    waiting--;
                }
            }
            return dispatching ? dequeue() : null;
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Wakes a waiting engine thread if ready work has been waiting, whatever else is going on. The poller calls this
     * on every loop, so that work behind records that unexpectedly run long never waits longer than a poll.
     */
    public void nudge() {
        lock.lock();
        try {
            if (waiting > 0 && !ready.isEmpty()
                    && nanoClock.getAsLong() - ready.peek().readySinceNanos > WAKE_AFTER_NANOS) {
                workReady.signal();
            }
        }
        finally {
            lock.unlock();
        }
    }

    /** Now on the clock that stamps {@link WorkItem#startedNanos()}. */
    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** Takes the next record that may run, or returns {@code null} at once if there is none. */
    public WorkItem<K, V> poll() {
        lock.lock();
        try {
            return dispatching && !ready.isEmpty() ? dequeue() : null;
        }
        finally {
            lock.unlock();
        }
    }

    private WorkItem<K, V> dequeue() {
        Shard<K, V> shard = ready.poll();
        shard.inReady = false;
        WorkItem<K, V> item = shard.queue.pollFirst();
        long now = nanoClock.getAsLong();
        item.startedNanos = now;
        PartitionWork<K, V> pw = shard.partition;
        if (pw.ordered()) {
            shard.busy = true;
        }
        else {
            makeReadyIfEligible(shard, now);
        }
        pw.queued--;
        queued--;
        pw.running++;
        running++;
        signalIfReady();
        return item;
    }

    /** A record is done (processed, or given up on and skipped): its offset may be committed. */
    public void complete(WorkItem<K, V> item) {
        Runnable wake;
        lock.lock();
        try {
            wake = finish(item);
            signalIfReady();
        }
        finally {
            lock.unlock();
        }
        runOutsideLock(wake);
    }

    /**
     * Completes a record and takes the next one that may run, under one lock acquisition: what a worker does
     * between two records.
     * @return the next record, or {@code null} if none may run now (then block in {@link #take()})
     */
    public WorkItem<K, V> completeAndPoll(WorkItem<K, V> item) {
        Runnable wake;
        WorkItem<K, V> next;
        acquire();
        try {
            wake = finish(item);
            next = dispatching && !ready.isEmpty() ? dequeue() : null;
        }
        finally {
            lock.unlock();
        }
        runOutsideLock(wake);
        return next;
    }

    private Runnable finish(WorkItem<K, V> item) {
        PartitionWork<K, V> pw = endRun(item);
        long now = nanoClock.getAsLong();
        averageRunNanos += (now - item.startedNanos - averageRunNanos) >> 4;
        if (pw.active && pw.window.complete(item.handle, now)) {
            incomplete--;
        }
        release(item.shard, now);
        if (lowWaterAlarm != null && incomplete <= lowWaterMark) {
            Runnable alarm = lowWaterAlarm;
            lowWaterAlarm = null;
            return alarm;
        }
        return null;
    }

    /**
     * Takes the lock on the hot paths, spinning briefly first: it is held for well under a microsecond, so a
     * short spin usually wins it without the cost of parking and being woken.
     */
    private void acquire() {
        for (int spin = 0; spin < LOCK_SPINS; spin++) {
            if (lock.tryLock()) {
                return;
            }
            Thread.onSpinWait();
        }
        lock.lock();
    }

    private static void runOutsideLock(Runnable action) {
        if (action != null) {
            action.run();
        }
    }

    /**
     * Runs {@code alarm} once, from the thread completing a record, as soon as the incomplete records fall to
     * {@code mark} - so that a poller waiting while fetching is paused learns at once that it may resume.
     * Replaces any alarm set before; {@code null} clears it.
     */
    public void onIncompleteAtMost(int mark, Runnable alarm) {
        Runnable now = null;
        lock.lock();
        try {
            if (alarm != null && incomplete <= mark) {
                now = alarm;
                lowWaterAlarm = null;
            }
            else {
                lowWaterMark = mark;
                lowWaterAlarm = alarm;
            }
        }
        finally {
            lock.unlock();
        }
        runOutsideLock(now);
    }

    /**
     * A record failed and will be tried again later: it keeps its shard busy (so later records of an ordered shard
     * wait) without holding a worker.
     * @return {@code false} if the record's partition is no longer being worked on, so there is nothing to retry
     */
    public boolean awaitRetry(WorkItem<K, V> item) {
        lock.lock();
        try {
            PartitionWork<K, V> pw = endRun(item);
            if (!pw.dispatching) {
                return false;
            }
            pw.waitingRetry++;
            waitingRetry++;
            return true;
        }
        finally {
            lock.unlock();
        }
    }

    /** A record's retry delay is over: it goes back to the head of its shard. */
    public void retryNow(WorkItem<K, V> item) {
        lock.lock();
        try {
            PartitionWork<K, V> pw = item.partition;
            if (!pw.dispatching) {
                return; // dropped with its partition; counts were settled then
            }
            pw.waitingRetry--;
            waitingRetry--;
            pw.queued++;
            queued++;
            Shard<K, V> shard = item.shard;
            shard.queue.addFirst(item);
            shard.busy = false;
            makeReadyIfEligible(shard, nanoClock.getAsLong());
            signalIfReady();
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * A record will not be completed (the consumer stops because of it): it stays incomplete, and its shard stays
     * busy so that nothing after it in order runs.
     */
    public void abandon(WorkItem<K, V> item) {
        lock.lock();
        try {
            endRun(item);
        }
        finally {
            lock.unlock();
        }
    }

    private PartitionWork<K, V> endRun(WorkItem<K, V> item) {
        PartitionWork<K, V> pw = item.partition;
        pw.running--;
        running--;
        if (drainWaiters > 0) {
            runningChanged.signalAll(); // only a revocation or a shutdown waits on this
        }
        return pw;
    }

    private void release(Shard<K, V> shard, long now) {
        shard.busy = false;
        if (!makeReadyIfEligible(shard, now)) {
            shard.partition.dropIfIdle(shard);
        }
    }

    private boolean makeReadyIfEligible(Shard<K, V> shard, long now) {
        if (shard.inReady || shard.busy || shard.queue.isEmpty() || !shard.partition.dispatching || !dispatching) {
            return shard.inReady;
        }
        shard.inReady = true;
        shard.readySinceNanos = now;
        // Ordered: by the arrival of the record that may run next. Unordered (one shard per partition, whose records
        // run side by side): behind every shard already waiting, so that partitions take turns.
        shard.readySequence = shard.partition.ordered() ? shard.queue.peekFirst().sequence : nextSequence++;
        ready.add(shard);
        return true;
    }

    /**
     * Wakes one waiting engine thread when ready work would otherwise wait: when nothing runs, when records take
     * long (the running ones will not come back for more soon), or when the oldest ready shard has already waited
     * longer than {@link #WAKE_AFTER_NANOS}. A woken thread checks again after taking its record, so threads wake
     * one after the other while work backs up; with a fast handler a few hot threads do everything and no thread
     * is woken per record.
     */
    private void signalIfReady() {
        if (waiting == 0 || ready.isEmpty()) {
            return;
        }
        if (running == 0 || averageRunNanos > WAKE_AFTER_NANOS) {
            workReady.signal();
            return;
        }
        // Fast records: the awake threads usually keep up, and a ready shard only ages because they were
        // preempted. Add threads at most one per interval, or a busy machine would wake them all.
        long now = nanoClock.getAsLong();
        if (now - ready.peek().readySinceNanos > WAKE_AFTER_NANOS && now - lastWakeNanos > WAKE_AFTER_NANOS) {
            lastWakeNanos = now;
            workReady.signal();
        }
    }

    // ---- reading (poller thread and snapshots) ----

    /** The offset that may be committed now for each active partition that has fetched anything. */
    public Map<TopicPartition, Long> commitOffsets(Collection<TopicPartition> tps) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        commitPositions(tps, false).forEach((tp, position) -> offsets.put(tp, position.offset()));
        return offsets;
    }

    /**
     * What to commit for these partitions ({@code null}: all assigned): the lowest incomplete offset and, when
     * asked, the done offsets above it as metadata ({@link CompletedOffsets}).
     */
    public Map<TopicPartition, OffsetAndMetadata> commitPositions(Collection<TopicPartition> tps,
            boolean withMetadata) {
        lock.lock();
        try {
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            for (TopicPartition tp : tps == null ? partitions.keySet() : tps) {
                PartitionWork<K, V> pw = partitions.get(tp);
                if (pw != null && pw.active) {
                    long offset = pw.window.commitOffset();
                    if (offset >= 0) {
                        String metadata = withMetadata ? pw.window.completedMetadata() : null;
                        positions.put(tp, new OffsetAndMetadata(offset, metadata == null ? "" : metadata));
                    }
                }
            }
            return positions;
        }
        finally {
            lock.unlock();
        }
    }

    /** Records that the broker acknowledged a commit of {@code offset} for the given epoch of a partition. */
    public void committed(TopicPartition tp, int epoch, long offset) {
        PartitionWork<K, V> pw = partition(tp);
        if (pw != null && pw.epoch == epoch && offset > pw.committedOffset) {
            pw.committedOffset = offset;
        }
    }

    /** The current epoch of an assigned partition, or -1. */
    public int epoch(TopicPartition tp) {
        PartitionWork<K, V> pw = partition(tp);
        return pw == null ? -1 : pw.epoch;
    }

    /** Notes which partitions are paused now, for snapshots. */
    public void markPaused(Set<TopicPartition> paused) {
        lock.lock();
        try {
            partitions.forEach((tp, pw) -> pw.paused = paused.contains(tp));
        }
        finally {
            lock.unlock();
        }
    }

    private PartitionWork<K, V> partition(TopicPartition tp) {
        lock.lock();
        try {
            return partitions.get(tp);
        }
        finally {
            lock.unlock();
        }
    }

    /** Records fetched and not yet completed, over all active partitions. */
    public int incomplete() {
        lock.lock();
        try {
            return incomplete;
        }
        finally {
            lock.unlock();
        }
    }

    /** Records fetched and not yet completed, per active partition. */
    public Map<TopicPartition, Integer> incompleteByPartition() {
        lock.lock();
        try {
            Map<TopicPartition, Integer> counts = new HashMap<>(partitions.size() * 2);
            partitions.forEach((tp, pw) -> counts.put(tp, pw.window.incomplete()));
            return counts;
        }
        finally {
            lock.unlock();
        }
    }

    public Totals totals() {
        lock.lock();
        try {
            return new Totals(incomplete, queued, running, waitingRetry, alreadyDoneSkipped);
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Counts over all partitions; {@code alreadyDone} counts the records skipped because a previous owner had
     * completed them.
     */
    public record Totals(int incomplete, int queued, int running, int waitingRetry, long alreadyDone) {
    }

    /** The state of every active partition, with wall-clock times derived from the monotonic clock. */
    public List<PartitionSnapshot> partitionSnapshots(Instant now) {
        lock.lock();
        try {
            long nowNanos = nanoClock.getAsLong();
            List<PartitionSnapshot> result = new ArrayList<>(partitions.size());
            for (PartitionWork<K, V> pw : partitions.values()) {
                long blocking = pw.window.blockingOffset();
                Instant blockedSince = blocking < 0 ? null
                        : now.minusNanos(Math.max(0, nowNanos - pw.window.blockedSinceNanos()));
                result.add(new PartitionSnapshot(pw.topicPartition.topic(), pw.topicPartition.partition(), pw.epoch,
                        pw.committedOffset, pw.window.commitOffset(), pw.window.highestOffset(), pw.logEndOffset,
                        pw.window.incomplete(), pw.window.gaps(), blocking, blockedSince, pw.queued,
                        pw.running + pw.waitingRetry, pw.paused));
            }
            return result;
        }
        finally {
            lock.unlock();
        }
    }
}
