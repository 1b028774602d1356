package io.parallelconsumer.internal.work;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The one-queue mode of {@code KEY} ordering: while records do in-memory work and nothing of a partition is queued
 * or running, its records go to one queue for the whole partition, run one after the other in offset order (which
 * keeps every key's order), a batch at a time whatever their keys. Records of a few microseconds gain nothing from
 * running side by side beyond a thread per partition, and sorting them by key on the poller costs more than running
 * them. This class decides when the mode starts and when it ends, and splits the queue by key when it does: a record
 * of it fails (its retries must hold up only its key), records stop being in-memory, the queue grows past
 * {@link WorkTuning#splitQueued()} while engine threads wait for work, or one of its runs goes on for longer than
 * {@link WorkTuning#holdAfterNanos()}. Guarded by the work manager's lock.
 */
final class OneQueue<K, V> {

    private final ReadyShards<K, V> ready;
    private final RunTimeEstimate runTime;
    private final IdleThreads idleThreads;
    private final int splitQueued;
    private final long holdAfterNanos;
    /** When {@link #holdLongRuns} last looked. */
    private long lastHoldCheckNanos;

    OneQueue(ReadyShards<K, V> ready, RunTimeEstimate runTime, IdleThreads idleThreads, WorkTuning tuning,
            long now) {
        this.ready = ready;
        this.runTime = runTime;
        this.idleThreads = idleThreads;
        this.splitQueued = tuning.splitQueued();
        this.holdAfterNanos = tuning.holdAfterNanos();
        this.lastHoldCheckNanos = now - holdAfterNanos;
    }

    /** Whether a partition's records may go to its one queue from the next fetch on. */
    boolean mayStart(PartitionWork<K, V> pw) {
        return !pw.asOneQueue && pw.wholePartition() != null && runTime.inMemory() && pw.unfinished() == 0
                && !pw.abandoned;
    }

    /**
     * Whether a partition's one queue, about to run, should be split by key: its records no longer do in-memory
     * work, or it holds more than one thread can keep up with while other threads wait for work - or the partition
     * has left one-queue mode already, so that its records must go to their keys' shards before any runs.
     */
    boolean shouldSplit(Shard<K, V> whole) {
        return !whole.partition.asOneQueue || !runTime.inMemory()
                || (whole.queue.size() > splitQueued && !idleThreads.isEmpty());
    }

    /**
     * Whether a worker may go on, without the lock, to a record of a partition's one queue that its batch holds:
     * not once records have turned slow, so that the queue is split by key where they did.
     */
    boolean mayContinue(Shard<K, V> shard) {
        return !shard.wholePartition || runTime.inMemory();
    }

    /**
     * Moves the records of a partition's one queue to the heads of their keys' shards, in order, and ends the mode:
     * the records that arrive later are sorted by key again. Called when nothing of the one queue runs any more:
     * when its turn comes, when the run that held it ends after {@link #holdRunningKeys} (the shards it held are
     * released then), or from the worker whose record of it just failed ({@code failed}, which then keeps its key's
     * shard busy). Rare, so finding shards under the lock is fine.
     */
    void splitByKey(PartitionWork<K, V> pw, WorkItem<K, V> failed, long now) {
        Shard<K, V> whole = pw.wholePartition();
        ready.remove(whole);
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
            ready.offer(item.shard, now);
        }
        if (held != null) {
            for (Shard<K, V> shard : held) {
                ready.offer(shard, now);
            }
        }
        whole.queue.clear();
    }

    /**
     * Splits the one queue of every partition whose current run has gone on too long (see {@link #holdRunningKeys}).
     * Looks at most four times per {@link WorkTuning#holdAfterNanos()}: engine threads call this each time they run
     * out of work, and a consumer may have hundreds of partitions.
     */
    void holdLongRuns(Iterable<PartitionWork<K, V>> partitions, long now) {
        if (now - lastHoldCheckNanos < holdAfterNanos / 4) {
            return;
        }
        lastHoldCheckNanos = now;
        for (PartitionWork<K, V> pw : partitions) {
            Shard<K, V> whole = pw.wholePartition();
            if (whole != null && pw.asOneQueue && whole.running != null && !whole.queue.isEmpty()
                    && now - whole.running.startedNanos > holdAfterNanos && pw.dispatching) {
                holdRunningKeys(pw, now);
            }
        }
    }

    /**
     * Splits a partition's one queue while a run of it goes on - a record far slower than the estimate says, which
     * must not hold up the partition's other keys: the keys of the records that run or may still run in it keep
     * their shards busy until it ends (then {@link #splitByKey} hands them their records, older than any queued by
     * key meanwhile), and the queued records of every other key go to their shards and may run at once.
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
            ready.offer(item.shard, now);
        }
    }
}
