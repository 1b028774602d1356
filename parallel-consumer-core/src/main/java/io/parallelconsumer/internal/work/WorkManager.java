package io.parallelconsumer.internal.work;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
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
 * When records run fast, a worker is handed several records of one shard at once - they would run one after the
 * other anyway - and acquires the lock once for all of them ({@link #nextInBatch}).
 * Idle engine threads are woken sparingly (see {@link #signalIfReady()}), so that fast handlers are not slowed by
 * a wake-up per record. The poller thread adds records and reads offsets to commit; engine threads take and
 * complete records.
 */
public final class WorkManager<K, V> {

    /**
     * How long a ready record may wait for a busy thread before an idle one is woken for it: as long as a slow record
     * runs, since a record that waits longer is not waiting for a fast one to finish.
     */
    private static final long WAKE_AFTER_NANOS = RunTimeEstimate.SLOW_NANOS;
    /**
     * With in-memory records and a thread per core awake, how long nothing may complete (and no thread be
     * woken) while work is ready before one more thread is woken: the awake ones may all be stuck in records that
     * unexpectedly run long. On a busy machine they more often just wait for a core, so this adds at most one
     * thread per interval: more would only queue for the same cores.
     */
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Tries at the lock, one spin-wait apart, before parking or giving up the core. */
    private static final int LOCK_SPINS = 64;
    /** Times {@link #acquireAsWorker} gives up its core and tries again before it parks. */
    private static final int LOCK_YIELDS = 4;
    /**
     * With slow records, how many concurrencies' worth of arrivals a record queued behind an ordered shard's next one
     * moves the shard forward in the ready queue (see {@link #placeInReadyQueue}).
     */
    static final int CHAIN_WEIGHT_PER_CONCURRENCY = 16;
    /**
     * The most queued records that move a shard forward: beyond it a queue is long enough to go ahead of anything in
     * flight, and counting further would only spread the ready queue's arrival numbers - its ring has a bucket for
     * every 64 of them - over megabytes for one hot key (8,192 queued records x 16 x concurrency places).
     */
    static final int MAX_QUEUED_COUNTED = 64;
    /**
     * A partition's one queue (see {@link #add}) longer than this, while engine threads wait for work, is split by
     * key when its turn comes: one thread is not keeping up with it, and its keys may run side by side.
     */
    static final int SPLIT_QUEUED = 1024;
    /**
     * A run of a partition's one queue going on longer than this - twenty times the longest a batch of in-memory
     * records is meant to take - splits the queue while it runs (see {@link #holdRunningKeys}).
     */
    static final long HOLD_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Ordering ordering;
    private final LongSupplier nanoClock;
    /** Arrival places a queued record moves its shard forward in the ready queue, with slow records. */
    private final long chainWeight;
    private final ReentrantLock lock = new ReentrantLock();
    private final IdleThreads idleThreads = new IdleThreads(lock);
    private final Condition runningChanged = lock.newCondition();
    /** Shards whose next record may run, oldest next record first. */
    private final ReadyQueue<K, V> ready = new ReadyQueue<>();
    /** Arrival number of the next record added, for the ready queue's order. */
    private long nextSequence;
    private final Map<TopicPartition, PartitionWork<K, V>> partitions = new HashMap<>();
    private final Map<TopicPartition, Integer> epochs = new HashMap<>();
    /** First records of the batches being run, for {@link #settleRunningBatches()}. */
    private final Set<WorkItem<K, V>> runningBatches = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The poller's scratch space in {@link #add}. */
    private Shard<K, V>[] shardScratch = newShardArray(512);

    private int queued;
    private long alreadyDoneSkipped;
    private int running;
    private int waitingRetry;
    private int incomplete;
    /** Volatile for workers going on with a batch without the lock; written under it. */
    private volatile boolean dispatching = true;
    /** Threads waiting for partitions to drain or go idle. */
    private int drainWaiters;
    private final RunTimeEstimate runTime = new RunTimeEstimate();
    private long lastWakeNanos;
    /** When {@link #holdLongRuns} last looked. */
    private long lastHoldCheckNanos;
    private final int cores;
    private int lowWaterMark;
    private Runnable lowWaterAlarm;

    public WorkManager(Ordering ordering, LongSupplier nanoClock) {
        this(ordering, nanoClock, 0);
    }

    /**
     * @param concurrency how many records run at once: with slow records, an ordered shard with records queued
     *        behind its next one is served as if that record had arrived {@value #CHAIN_WEIGHT_PER_CONCURRENCY}
     *        times this many places earlier per record queued behind it (see {@link #placeInReadyQueue})
     */
    public WorkManager(Ordering ordering, LongSupplier nanoClock, int concurrency) {
        this(ordering, nanoClock, concurrency, Runtime.getRuntime().availableProcessors());
    }

    /** @param cores how many threads can run in-memory records at once (see {@link #needsAnotherThread}) */
    WorkManager(Ordering ordering, LongSupplier nanoClock, int concurrency, int cores) {
        this.ordering = ordering;
        this.nanoClock = nanoClock;
        this.chainWeight = (long) CHAIN_WEIGHT_PER_CONCURRENCY * concurrency;
        this.cores = cores;
        this.lastHoldCheckNanos = nanoClock.getAsLong() - HOLD_AFTER_NANOS;
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
            unlock();
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
            unlock();
        }
    }

    /** Stops starting any record: from now on {@link #take()} returns {@code null}. Running records may complete. */
    public void stopDispatching() {
        lock.lock();
        try {
            dispatching = false;
            partitions.values().forEach(this::stopDispatching);
            ready.clear();
            idleThreads.wakeAll();
        }
        finally {
            unlock();
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
            settleRunningBatches();
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
                settleRunningBatches();
            }
            return true;
        }
        finally {
            unlock();
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
            unlock();
        }
    }

    private void fence(PartitionWork<K, V> pw) {
        stopDispatching(pw);
        pw.active = false;
        incomplete -= pw.window.incomplete();
    }

    // ---- fetching (poller thread) ----

    /**
     * Adds records fetched from one partition, in offset order. Poller thread only: it alone assigns partitions, so
     * it finds the shards of the records before taking the lock, which the workers then wait for only as long as it
     * takes to queue them.
     * <p>
     * Under {@code KEY} ordering, while records do in-memory work and nothing of the partition is queued or running,
     * its records go to one queue for the whole partition instead: run one after the other in offset order, they
     * keep every key's order, and a worker takes them a batch at a time whatever their keys. Records of a few
     * microseconds gain nothing from running side by side beyond one thread per partition, while sorting them by key
     * on the poller - the consumer's critical path in a fast drain - and handing out a few per key cost more than
     * running them: a 200,000-record no-op drain on two cores went from 2.6 to 3.4 million records/s with platform
     * threads and from 2.9 to 3.7 async (Java 17, 24 runs each). The queue is split by key ({@link #splitByKey}) as
     * soon as that gain is gone: a record of it fails (its retries must hold up only its key), records stop being
     * in-memory, its queue grows past {@value #SPLIT_QUEUED} records while engine threads wait for work, or one of
     * its runs goes on far longer than in-memory records take ({@link #holdRunningKeys}).
     */
    public void add(TopicPartition tp, List<ConsumerRecord<K, V>> records) {
        PartitionWork<K, V> pw = requireDispatching(tp); // partitions are written by this thread only
        int size = records.size();
        Shard<K, V>[] shards = null;
        if (!pw.asOneQueue) {
            shards = findShards(pw, records);
        }
        acquireAsPoller();
        try {
            long now = nanoClock.getAsLong();
            if (!pw.asOneQueue && pw.wholePartition() != null && runTime.inMemory() && pw.unfinished() == 0
                    && !pw.abandoned) {
                pw.asOneQueue = true;
            }
            if (!pw.asOneQueue && shards == null) {
                shards = findShards(pw, records); // split by a worker since this thread looked
            }
            int skipped = pw.asOneQueue ? queueAsOne(pw, records, now) : queueByShard(pw, records, shards, now);
            pw.sweepIdleShards();
            int added = size - skipped;
            pw.queued += added;
            queued += added;
            incomplete += added;
            alreadyDoneSkipped += skipped;
            signalIfReady();
        }
        finally {
            unlock();
            if (shards != null) {
                Arrays.fill(shards, 0, size, null);
            }
        }
    }

    private Shard<K, V>[] findShards(PartitionWork<K, V> pw, List<ConsumerRecord<K, V>> records) {
        int size = records.size();
        if (shardScratch.length < size) {
            shardScratch = newShardArray(size);
        }
        Shard<K, V>[] shards = shardScratch;
        for (int i = 0; i < size; i++) {
            shards[i] = pw.shardFor(records.get(i).key());
        }
        return shards;
    }

    /** Queues records into their shards; returns how many were skipped as already done. */
    private int queueByShard(PartitionWork<K, V> pw, List<ConsumerRecord<K, V>> records, Shard<K, V>[] shards,
            long now) {
        int size = records.size();
        boolean placeByQueue = pw.ordered() && chainWeight > 0 && runTime.slow();
        int skipped = 0;
        for (int i = 0; i < size; i++) {
            if (!enqueue(pw, shards[i], records.get(i), now)) {
                skipped++;
            }
        }
        // Once the whole batch is queued, so that an ordered shard's place in the ready queue counts all its
        // records - also when it was waiting there already.
        for (int i = 0; i < size; i++) {
            Shard<K, V> shard = shards[i];
            if (!makeReadyIfEligible(shard, now) || !placeByQueue) {
                continue;
            }
            long place = placeInReadyQueue(shard);
            if (place < shard.readySequence) {
                ready.remove(shard);
                shard.readySequence = place;
                ready.add(shard);
            }
        }
        return skipped;
    }

    /** Queues records into their partition's one queue; returns how many were skipped as already done. */
    private int queueAsOne(PartitionWork<K, V> pw, List<ConsumerRecord<K, V>> records, long now) {
        Shard<K, V> shard = pw.wholePartition();
        int skipped = 0;
        for (ConsumerRecord<K, V> record : records) {
            if (!enqueue(pw, shard, record, now)) {
                skipped++;
            }
        }
        makeReadyIfEligible(shard, now);
        return skipped;
    }

    /**
     * Enters a fetched record in its partition's offset window and queues it on {@code shard}; or, if a previous
     * owner already completed it, enters it as done and returns {@code false}.
     */
    private boolean enqueue(PartitionWork<K, V> pw, Shard<K, V> shard, ConsumerRecord<K, V> record, long now) {
        if (pw.alreadyDone != null && alreadyDone(pw, record.offset())) {
            pw.window.addCompleted(record.offset());
            return false;
        }
        long handle = pw.window.add(record.offset(), now);
        shard.queue.addLast(new WorkItem<>(record, pw, shard, handle, nextSequence++));
        return true;
    }

    /**
     * Moves the records of a partition's one queue to the heads of their keys' shards, in order, and ends the
     * one-queue mode: the records that arrive later are sorted by key again. Called under the lock when nothing of
     * the one queue runs any more: when its turn comes ({@link #dequeue}), when the run that held it ends after
     * {@link #holdRunningKeys} (the shards it held are released then), or from the worker whose record of it just
     * failed ({@code failed}, which then keeps its key's shard busy). Rare, so finding shards under the lock is fine.
     */
    private void splitByKey(PartitionWork<K, V> pw, WorkItem<K, V> failed, long now) {
        Shard<K, V> whole = pw.wholePartition();
        if (whole.inReady) {
            ready.remove(whole);
            whole.inReady = false;
        }
        // to the heads, last first: what the one queue holds is older than anything queued by key meanwhile
        for (Iterator<WorkItem<K, V>> it = whole.queue.descendingIterator(); it.hasNext(); ) {
            WorkItem<K, V> item = it.next();
            item.shard = pw.shardFor(item.record().key());
            item.shard.queue.addFirst(item);
        }
        whole.busy = false;
        whole.running = null;
        pw.asOneQueue = false;
        List<Shard<K, V>> held = pw.heldByRun;
        pw.heldByRun = null;
        if (held != null) {
            for (Shard<K, V> shard : held) {
                shard.busy = false;
            }
        }
        if (failed != null) {
            failed.shard = pw.shardFor(failed.record().key());
            failed.shard.busy = true;
        }
        for (WorkItem<K, V> item : whole.queue) {
            makeReadyIfEligible(item.shard, now);
        }
        if (held != null) {
            for (Shard<K, V> shard : held) {
                makeReadyIfEligible(shard, now);
            }
        }
        whole.queue.clear();
    }

    /**
     * Splits a partition's one queue while a run of it has gone on for longer than {@link #HOLD_AFTER_NANOS} - a
     * record far slower than the estimate says, which must not hold up the partition's other keys: the keys of
     * the records that run or may still run in it keep their shards busy until it ends (then {@link #splitByKey}
     * hands them their records, older than any queued by key meanwhile), and the queued records of every other key
     * go to their shards and may run at once.
     */
    private void holdRunningKeys(PartitionWork<K, V> pw, long now) {
        Shard<K, V> whole = pw.wholePartition();
        WorkItem<K, V> running = whole.running;
        WorkItem<K, V> from = running.batchHead != null ? running.batchHead.batchRunning() : running;
        if (from == null) {
            from = running; // the batch has not published a record yet: hold all of it
        }
        List<Shard<K, V>> held = new ArrayList<>();
        // the links of a running batch do not change until it ends, which needs the lock
        for (WorkItem<K, V> item = from; item != null; item = item.nextInBatch) {
            Shard<K, V> shard = pw.shardFor(item.record().key());
            if (!shard.busy) {
                shard.busy = true;
                held.add(shard);
            }
        }
        pw.heldByRun = held;
        ArrayDeque<WorkItem<K, V>> stay = new ArrayDeque<>();
        List<WorkItem<K, V>> moved = new ArrayList<>();
        for (WorkItem<K, V> item : whole.queue) {
            Shard<K, V> shard = pw.shardFor(item.record().key());
            if (shard.busy) {
                stay.addLast(item); // a held key's: it goes to its shard's head when the run ends
                continue;
            }
            item.shard = shard;
            shard.queue.addLast(item);
            moved.add(item);
        }
        whole.queue.clear();
        whole.queue.addAll(stay);
        pw.asOneQueue = false;
        for (WorkItem<K, V> item : moved) {
            makeReadyIfEligible(item.shard, now);
        }
    }

    /**
     * Splits the one queue of every partition whose current run has gone on too long (see {@link #holdRunningKeys}).
     * Looks at most four times per {@link #HOLD_AFTER_NANOS}: engine threads call this each time they run out of work,
     * and a consumer may have hundreds of partitions.
     */
    private void holdLongRuns(long now) {
        if (now - lastHoldCheckNanos < HOLD_AFTER_NANOS / 4) {
            return;
        }
        lastHoldCheckNanos = now;
        for (PartitionWork<K, V> pw : partitions.values()) {
            Shard<K, V> whole = pw.wholePartition();
            if (whole != null && pw.asOneQueue && whole.running != null && !whole.queue.isEmpty()
                    && now - whole.running.startedNanos > HOLD_AFTER_NANOS && pw.dispatching) {
                holdRunningKeys(pw, now);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Shard<K, V>[] newShardArray(int size) {
        return (Shard<K, V>[]) new Shard<?, ?>[size];
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
            unlock();
        }
    }

    /** Records an offset that was fetched but needs no processing (it was given up on before it could run). */
    public void addCompleted(TopicPartition tp, long offset) {
        lock.lock();
        try {
            requireDispatching(tp).window.addCompleted(offset);
        }
        finally {
            unlock();
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
            unlock();
        }
    }

    /** Notes a partition's log-end offset read from the broker while it is paused (no fetch tells it then). */
    public void logEndOffset(TopicPartition tp, long logEndOffset) {
        lock.lock();
        try {
            PartitionWork<K, V> pw = partitions.get(tp);
            if (pw != null && pw.active && logEndOffset > pw.logEndOffset) {
                pw.logEndOffset = logEndOffset;
            }
        }
        finally {
            unlock();
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
            idleThreads.register();
            if (ready.isEmpty()) {
                holdLongRuns(nanoClock.getAsLong()); // rather than go idle while a slow record holds up others
            }
            while (dispatching && ready.isEmpty()) {
                idleThreads.await();
            }
            return dispatching ? dequeue(false, nanoClock.getAsLong()) : null;
        }
        finally {
            unlock();
        }
    }

    /**
     * Wakes waiting engine threads if ready work would otherwise wait (see {@link #signalIfReady()}). The poller
     * calls this on every loop, so that work behind records that unexpectedly run long never waits much longer than
     * a poll.
     */
    public void nudge() {
        lock.lock();
        try {
            holdLongRuns(nanoClock.getAsLong());
            signalIfReady();
        }
        finally {
            unlock();
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
            return dispatching && !ready.isEmpty() ? dequeue(false, nanoClock.getAsLong()) : null;
        }
        finally {
            unlock();
        }
    }

    /**
     * Takes the oldest record that may run and, if {@code batch}, the records queued behind it in its shard that
     * fit the batch budget, linked through {@link WorkItem#nextInBatch}. All of them count as running.
     */
    private WorkItem<K, V> dequeue(boolean batch, long now) {
        Shard<K, V> shard = ready.poll();
        shard.inReady = false;
        while (shard.wholePartition && shouldSplit(shard)) {
            // nothing of it runs now (it was waiting its turn): split it and take what is ready then
            splitByKey(shard.partition, null, now);
            shard = ready.poll();
            shard.inReady = false;
        }
        WorkItem<K, V> item = shard.queue.pollFirst();
        int taken = 1;
        if (batch && !shard.queue.isEmpty()) {
            int limit = runTime.batchLimit();
            WorkItem<K, V> last = item;
            while (taken < limit && !shard.queue.isEmpty()) {
                WorkItem<K, V> next = shard.queue.pollFirst();
                next.batchHead = item;
                last.nextInBatch = next;
                last = next;
                taken++;
            }
            if (taken > 1) {
                item.batchHead = item;
                item.batchUnsettled = item;
                item.publishBatchRunning(item);
                runningBatches.add(item);
            }
        }
        item.startedNanos = now;
        runTime.started(now);
        PartitionWork<K, V> pw = shard.partition;
        if (pw.ordered()) {
            shard.busy = true;
        }
        if (shard.wholePartition) {
            shard.running = item;
        }
        else {
            makeReadyIfEligible(shard, now);
        }
        pw.queued -= taken;
        queued -= taken;
        pw.running += taken;
        running += taken;
        signalIfReady();
        return item;
    }

    /**
     * Whether a partition's one queue, about to run, should be split by key: its records no longer do in-memory
     * work, or it holds more than one thread can keep up with while other threads wait for work - or the partition
     * has left one-queue mode already, so that its records must go to their keys' shards before any runs.
     */
    private boolean shouldSplit(Shard<K, V> whole) {
        return !whole.partition.asOneQueue || !runTime.inMemory()
                || (whole.queue.size() > SPLIT_QUEUED && !idleThreads.isEmpty());
    }

    /**
     * The next record of the batch that {@code item} was handed out in, started without taking the lock; or
     * {@code null} if there is none or dispatching has stopped for it (then report {@code item} through
     * {@link #completeAndPoll}, which settles the whole batch). Tells readers under the lock that everything
     * before the returned record is done (see {@link #settleRunningBatches()}).
     * @param startNanos when the next record starts, for {@link WorkItem#startedNanos()}: the clock if the caller
     *        read it, or else the start of {@code item} - the work manager's run-time estimate times whole batches
     *        and needs no clock reading per record
     */
    public WorkItem<K, V> nextInBatch(WorkItem<K, V> item, long startNanos) {
        WorkItem<K, V> next = item.nextInBatch;
        if (next == null || !dispatching || !next.partition.dispatching
                || (next.shard.wholePartition && !runTime.inMemory())) {
            return null; // a partition's one queue stops where its records turn slow, to be split by key
        }
        next.startedNanos = startNanos;
        item.batchHead.publishBatchRunning(next);
        return next;
    }

    /**
     * A record's attempt failed. In a batch, the records before it in the batch are complete, those after it go back
     * to the head of their shard, and it goes on alone (to be retried, skipped or abandoned). A record of a
     * partition's one queue also splits that queue by key (see {@link #add}), so that its retries hold up only its
     * key. Nothing to do for a record on its own in a key's shard.
     */
    public void attemptFailed(WorkItem<K, V> item) {
        if (item.batchHead == null && !item.shard.wholePartition) {
            return;
        }
        Runnable wake;
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            endBatch(item, false, now);
            if (item.shard.wholePartition && item.partition.dispatching) {
                splitByKey(item.partition, item, now);
            }
            wake = takeLowWaterAlarm();
            signalIfReady();
        }
        finally {
            unlock();
        }
        runOutsideLock(wake);
    }

    /**
     * A record is done (processed, or given up on and skipped): its offset may be committed. For a record of a
     * batch, so are the records before it in the batch; those after it go back to their shard.
     */
    public void complete(WorkItem<K, V> item) {
        Runnable wake;
        lock.lock();
        try {
            wake = finish(item, nanoClock.getAsLong());
            signalIfReady();
        }
        finally {
            unlock();
        }
        runOutsideLock(wake);
    }

    /**
     * Completes a record (with the records before it in its batch) and takes the next one that may run, under one
     * lock acquisition: what a worker does between two records. The record returned may head a batch: the caller
     * runs it, then the rest of the batch as {@link #nextInBatch} hands it out, on this same thread.
     * @return the next record, or {@code null} if none may run now (then block in {@link #take()})
     */
    public WorkItem<K, V> completeAndPoll(WorkItem<K, V> item) {
        Runnable wake;
        WorkItem<K, V> next;
        acquireAsWorker();
        try {
            long now = nanoClock.getAsLong();
            wake = finish(item, now);
            next = dispatching && !ready.isEmpty() ? dequeue(true, now) : null;
        }
        finally {
            unlock();
        }
        runOutsideLock(wake);
        return next;
    }

    private Runnable finish(WorkItem<K, V> item, long now) {
        endBatch(item, true, now);
        release(item.shard, now);
        return takeLowWaterAlarm();
    }

    /**
     * Settles what {@code item}'s worker reports: the records of its batch before it that are not yet counted
     * complete are completed, {@code item} too if {@code itemDone}, and the records after it (not started:
     * dispatching stopped, or {@code item} failed) go back to their shard. The run-time estimate takes the batch's
     * time per record as one run time: a batch is one look at how fast its records run, and one that lost its core
     * midway must not count as many slow records (see {@link RunTimeEstimate}). For a record on its own, just that
     * record.
     */
    private void endBatch(WorkItem<K, V> item, boolean itemDone, long now) {
        WorkItem<K, V> head = item.batchHead;
        if (head == null) {
            if (itemDone) {
                completeOne(item, now);
                runTime.completed(now - item.startedNanos, now);
            }
            return;
        }
        runningBatches.remove(head);
        WorkItem<K, V> rest = item.nextInBatch;
        int count = 1;
        for (WorkItem<K, V> done = head; done != item; done = done.nextInBatch) {
            count++;
        }
        long each = (now - head.startedNanos) / count;
        for (WorkItem<K, V> done = head.batchUnsettled; done != item; done = done.nextInBatch) {
            completeOne(done, now);
        }
        if (itemDone) {
            completeOne(item, now);
        }
        runTime.completed(each, now);
        for (WorkItem<K, V> ran = head; ran != rest; ) {
            WorkItem<K, V> next = ran.nextInBatch;
            ran.batchHead = null;
            ran.nextInBatch = null;
            ran = next;
        }
        head.batchUnsettled = null;
        head.publishBatchRunning(null);
        giveBack(rest);
    }

    /** Ends one record's run and marks its offset done; the caller tells the run-time estimate. */
    private void completeOne(WorkItem<K, V> item, long now) {
        PartitionWork<K, V> pw = endRun(item);
        if (pw.active && pw.window.complete(item.handle, now)) {
            incomplete--;
        }
    }

    /**
     * Counts complete the records that workers have finished within batches they are still running, so that
     * commits, snapshots and drains see them even when a later record of the batch runs long or never returns.
     * The worker settles the rest when its batch ends; links between the records stay, since it walks them.
     */
    private void settleRunningBatches() {
        if (runningBatches.isEmpty()) {
            return;
        }
        long now = nanoClock.getAsLong();
        boolean settled = false;
        for (WorkItem<K, V> head : runningBatches) {
            WorkItem<K, V> running = head.batchRunning();
            WorkItem<K, V> done = head.batchUnsettled;
            while (done != running) {
                completeOne(done, now);
                settled = true;
                done = done.nextInBatch;
            }
            head.batchUnsettled = running;
        }
        if (settled) {
            runTime.completed(-1, now); // completions, untimed: their batch is timed when it ends
        }
    }

    /**
     * Puts the records of a batch that never started back at the head of their shard, in order - or, when their
     * partition stopped dispatching meanwhile, drops them (they stay incomplete and are delivered again).
     */
    private void giveBack(WorkItem<K, V> first) {
        if (first == null) {
            return;
        }
        PartitionWork<K, V> pw = first.partition;
        Shard<K, V> shard = first.shard;
        // Rare (a failure, or dispatching stopped mid-batch), so a scratch deque to reverse the order is fine.
        ArrayDeque<WorkItem<K, V>> returned = new ArrayDeque<>();
        for (WorkItem<K, V> item = first; item != null; ) {
            WorkItem<K, V> next = item.nextInBatch;
            item.batchHead = null;
            item.nextInBatch = null;
            endRun(item);
            returned.addFirst(item);
            item = next;
        }
        if (!pw.dispatching) {
            return;
        }
        for (WorkItem<K, V> item : returned) {
            shard.queue.addFirst(item);
        }
        pw.queued += returned.size();
        queued += returned.size();
        makeReadyIfEligible(shard, nanoClock.getAsLong());
    }

    /** The alarm set by {@link #onIncompleteAtMost}, once its mark is reached: to run outside the lock. */
    private Runnable takeLowWaterAlarm() {
        if (lowWaterAlarm != null && incomplete <= lowWaterMark) {
            Runnable alarm = lowWaterAlarm;
            lowWaterAlarm = null;
            return alarm;
        }
        return null;
    }

    /**
     * Takes the lock for the poller, spinning briefly first: it is held for a microsecond or two, so a short spin
     * usually wins it without the cost of parking and being woken. The poller does not give up its core for it, as
     * engine threads do ({@link #acquireAsWorker}): a poller off its core holds up every record behind it.
     */
    private void acquireAsPoller() {
        if (!spinForLock()) {
            lock.lock();
        }
    }

    /**
     * Takes the lock for an engine thread between two records. When the spin fails, the holder has most likely lost
     * its core - with hundreds of engine threads on a few cores, to one of them - so this thread gives up its own
     * core a few times, trying again after each, to let the holder run and release the lock. Parking at once
     * instead queues it among the lock's waiters, and each of those is woken only when the one before it has had the
     * lock, one wake-up latency (hundreds of microseconds on a busy machine) after the other: in 200,000-record
     * drains of 5 ms records on two cores, 1,000 - 1,600 waits of over a millisecond a drain. Four yields took those
     * drains from 96.5 to 96.9 % of the ceiling, the lowest run from 92.6 to 96.5 % (Java 17, 15 runs each,
     * alternating); with the poller yielding too, from 95.8 to 96.8 % (30 runs each), but the no-op drains lost four
     * points. Spinning longer instead (512 tries) lost two points, since a spinning thread keeps the core that the
     * holder needs. The waits left with the yields took 0.2 - 0.5 % of the threads' time; letting threads past the
     * lock without waiting at all (staged records, tried and reverted) gained about a tenth of a point.
     */
    private void acquireAsWorker() {
        if (spinForLock()) {
            return;
        }
        for (int yield = 0; yield < LOCK_YIELDS; yield++) {
            Thread.yield();
            if (lock.tryLock()) {
                return;
            }
        }
        lock.lock();
    }

    private boolean spinForLock() {
        for (int spin = 0; spin < LOCK_SPINS; spin++) {
            if (lock.tryLock()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /** Releases the lock, and only then unparks the engine threads woken while it was held (see {@link IdleThreads}). */
    private void unlock() {
        idleThreads.unlock();
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
            unlock();
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
            unlock();
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
            unlock();
        }
    }

    /**
     * A record will not be completed (the consumer stops because of it): it stays incomplete, and its shard stays
     * busy so that nothing after it in order runs.
     */
    public void abandon(WorkItem<K, V> item) {
        lock.lock();
        try {
            item.partition.abandoned = true;
            endRun(item);
        }
        finally {
            unlock();
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
        if (shard.wholePartition) {
            if (!shard.partition.asOneQueue) {
                splitByKey(shard.partition, null, now); // split while this run held it: hand the held keys back
                return;
            }
            shard.running = null;
        }
        shard.busy = false;
        makeReadyIfEligible(shard, now);
    }

    /**
     * Where an ordered shard waits in the ready queue: at the arrival of its next record, or - when records run
     * long - {@link #CHAIN_WEIGHT_PER_CONCURRENCY} concurrencies' worth of arrivals earlier per record queued behind
     * it. A key with a long queue needs that many runs one after the other, while the others run side by side:
     * started only in its turn, it finishes long after them, which at the end of a backlog leaves most workers idle
     * while a few keys finish alone - the longest-first rule of scheduling. One concurrency per queued record (the
     * earlier weight) only made such a key finish about when the records that arrived with it did; but the keys
     * whose records are fetched last (the partition whose turn came last, with its fetched megabyte of records) arrive
     * behind a whole budget of older, shorter work and still finished last: the last 1 % of a 200,000-record drain
     * of 5 ms records took 12 - 20 ms longer than the pace before it. With sixteen, a difference of two queued records
     * outweighs the age of everything in flight (8,192 records against 16 x 256 places per record), so the longest
     * queues run first and arrival order decides between equal ones; the traced drains ended on pace. A short
     * queue waits only while every thread runs a longer one - a key holds one thread at most, and its queue
     * shortens with every record it runs. Queues longer than {@value #MAX_QUEUED_COUNTED} records count as that
     * long. With fast records a worker comes round again within microseconds, and arrival order alone holds.
     */
    private long placeInReadyQueue(Shard<K, V> shard) {
        long place = shard.queue.peekFirst().sequence;
        if (runTime.slow()) {
            place -= Math.min(shard.queue.size() - 1, MAX_QUEUED_COUNTED) * chainWeight;
        }
        return place;
    }

    private boolean makeReadyIfEligible(Shard<K, V> shard, long now) {
        if (shard.inReady || shard.busy || shard.queue.isEmpty() || !shard.partition.dispatching || !dispatching) {
            return shard.inReady;
        }
        shard.inReady = true;
        shard.readySinceNanos = now;
        // Ordered: by the arrival of the record that may run next. Unordered (one shard per partition, whose records
        // run side by side): behind every shard already waiting, so that partitions take turns.
        shard.readySequence = shard.partition.ordered() ? placeInReadyQueue(shard) : nextSequence++;
        ready.add(shard);
        return true;
    }

    /**
     * Wakes waiting engine threads when ready work would otherwise wait. When records take long - by the estimate,
     * or because the first one has run longer than a slow record would before any completed - a thread for each
     * ready record at once: the running ones will not come back for more soon ({@link #wakeForReadyWork}). When
     * nothing runs, one thread. Otherwise one more thread when the oldest ready shard has already waited longer
     * than {@link #WAKE_AFTER_NANOS} and another thread would help ({@link #needsAnotherThread}); a woken thread
     * checks again after taking its record, so with a fast handler a few hot threads do everything and no thread
     * is woken per record.
     */
    private void signalIfReady() {
        if (idleThreads.isEmpty() || ready.isEmpty()) {
            return;
        }
        if (runTime.slow()) {
            wakeForReadyWork();
            return;
        }
        if (running == 0) {
            idleThreads.wakeOne();
            return;
        }
        long now = nanoClock.getAsLong();
        if (runTime.firstRunningLong(now)) {
            wakeForReadyWork();
            return;
        }
        // Fast records: the awake threads usually keep up, and a ready shard only ages because they were
        // preempted. Add threads at most one per interval, or a busy machine would wake them all.
        if (now - lastWakeNanos > WAKE_AFTER_NANOS && needsAnotherThread(now)) {
            wakeAnother(now);
        }
    }

    /**
     * Wakes as many threads as there are records ready to run at once - one per ready shard, or per queued record
     * when unordered (records of one partition's shard then run side by side) - less those woken already and not
     * yet back. Threads that each woke the next once they had taken a record would start one wake-up latency (tens
     * of microseconds on a busy machine) after the other: hundreds of them, milliseconds of idle concurrency at
     * the start of a backlog.
     */
    private void wakeForReadyWork() {
        int readyWork = ordering == Ordering.UNORDERED ? queued : ready.size();
        idleThreads.wake(readyWork - idleThreads.wokenNotBack());
    }

    /** Wakes one more thread for work that waits, noting when, for the rate limits on such wake-ups. */
    private void wakeAnother(long now) {
        lastWakeNanos = now;
        idleThreads.wakeOne();
    }

    /**
     * Whether the oldest ready record has waited longer than {@link #WAKE_AFTER_NANOS} and another thread could run
     * it sooner. Not when records do in-memory work ({@link RunTimeEstimate#inMemory()}) and a thread per core is
     * awake already: then the record waits because the awake threads are preempted, and on a busy machine (the
     * broker on the same cores, say) each thread added only takes turns with them and the poller, which slows every
     * record down - unless nothing has completed, and no thread has been woken, for {@link #STALL_NANOS}: then they
     * may be stuck.
     */
    private boolean needsAnotherThread(long now) {
        if (now - ready.peek().readySinceNanos <= WAKE_AFTER_NANOS) {
            return false;
        }
        return !runTime.inMemory() || idleThreads.awake() < cores
                || (runTime.sinceLastCompletion(now) > STALL_NANOS && now - lastWakeNanos > STALL_NANOS);
    }

    /** Engine threads waiting in {@link #take()} and not yet woken; for tests. */
    int idleThreadCount() {
        lock.lock();
        try {
            return idleThreads.size();
        }
        finally {
            unlock();
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
            settleRunningBatches();
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
            unlock();
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
            unlock();
        }
    }

    private PartitionWork<K, V> partition(TopicPartition tp) {
        lock.lock();
        try {
            return partitions.get(tp);
        }
        finally {
            unlock();
        }
    }

    /** Records fetched and not yet completed, over all active partitions. */
    public int incomplete() {
        lock.lock();
        try {
            settleRunningBatches();
            return incomplete;
        }
        finally {
            unlock();
        }
    }

    /** Records fetched and not yet completed, per active partition. */
    public Map<TopicPartition, Integer> incompleteByPartition() {
        lock.lock();
        try {
            settleRunningBatches();
            Map<TopicPartition, Integer> counts = new HashMap<>(partitions.size() * 2);
            partitions.forEach((tp, pw) -> counts.put(tp, pw.window.incomplete()));
            return counts;
        }
        finally {
            unlock();
        }
    }

    public Totals totals() {
        lock.lock();
        try {
            settleRunningBatches();
            return new Totals(incomplete, queued, running, waitingRetry, alreadyDoneSkipped);
        }
        finally {
            unlock();
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
            settleRunningBatches();
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
            unlock();
        }
    }
}
