package io.parallelconsumer.internal.work;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The batches being run: several records of one shard handed to a worker at once, linked through
 * {@link WorkItem#nextInBatch}, which it runs one after the other without taking the lock in between. The worker
 * publishes which record it runs ({@link WorkItem#publishBatchRunning}, a release store); this ledger counts the
 * records before it complete whenever someone reads under the lock ({@link #settle}), and settles the rest when the
 * batch ends. Guarded by the work manager's lock.
 */
final class BatchLedger<K, V> {

    /** First records of the batches being run. */
    private final Set<WorkItem<K, V>> running = Collections.newSetFromMap(new IdentityHashMap<>());
    private final WorkCounts counts;
    private final RunTimeEstimate runTime;
    private final ReadyShards<K, V> ready;
    private final LongSupplier nanoClock;

    BatchLedger(WorkCounts counts, RunTimeEstimate runTime, ReadyShards<K, V> ready, LongSupplier nanoClock) {
        this.counts = counts;
        this.runTime = runTime;
        this.ready = ready;
        this.nanoClock = nanoClock;
    }

    /**
     * Hands the records queued behind {@code head} in its shard, as many as the batch budget allows, to the worker
     * that takes {@code head}.
     * @return how many records the worker takes, {@code head} included
     */
    int open(WorkItem<K, V> head, Shard<K, V> shard) {
        if (shard.queue.isEmpty()) {
            return 1;
        }
        int limit = runTime.batchLimit();
        int taken = 1;
        WorkItem<K, V> last = head;
        while (taken < limit && !shard.queue.isEmpty()) {
            WorkItem<K, V> next = shard.queue.pollFirst();
            next.batchHead = head;
            last.nextInBatch = next;
            last = next;
            taken++;
        }
        if (taken > 1) {
            head.batchHead = head;
            head.batchUnsettled = head;
            head.publishBatchRunning(head);
            running.add(head);
        }
        return taken;
    }

    /**
     * Settles what {@code item}'s worker reports: the records of its batch before it that are not yet counted
     * complete are completed, {@code item} too if {@code itemDone}, and the records after it (not started:
     * dispatching stopped, or {@code item} failed) go back to their shard. The run-time estimate takes the batch's
     * time per record as one run time: a batch is one look at how fast its records run, and one that lost its core
     * midway must not count as many slow records. For a record on its own, just that record.
     */
    void end(WorkItem<K, V> item, boolean itemDone, long now) {
        WorkItem<K, V> head = item.batchHead;
        if (head == null) {
            if (itemDone) {
                complete(item, now);
                runTime.completed(now - item.startedNanos, now);
            }
            return;
        }
        running.remove(head);
        WorkItem<K, V> rest = item.nextInBatch;
        int count = 1;
        for (WorkItem<K, V> done = head; done != item; done = done.nextInBatch) {
            count++;
        }
        long each = (now - head.startedNanos) / count;
        for (WorkItem<K, V> done = head.batchUnsettled; done != item; done = done.nextInBatch) {
            complete(done, now);
        }
        if (itemDone) {
            complete(item, now);
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

    /**
     * Counts complete the records that workers have finished within batches they are still running, so that
     * commits, snapshots and drains see them even when a later record of the batch runs long or never returns.
     * The worker settles the rest when its batch ends; links between the records stay, since it walks them.
     */
    void settle() {
        if (running.isEmpty()) {
            return;
        }
        long now = nanoClock.getAsLong();
        boolean settled = false;
        for (WorkItem<K, V> head : running) {
            WorkItem<K, V> current = head.batchRunning();
            WorkItem<K, V> done = head.batchUnsettled;
            while (done != current) {
                complete(done, now);
                settled = true;
                done = done.nextInBatch;
            }
            head.batchUnsettled = current;
        }
        if (settled) {
            runTime.completed(-1, now); // completions, untimed: their batch is timed when it ends
        }
    }

    /** Ends one record's run and marks its offset done; the caller tells the run-time estimate. */
    private void complete(WorkItem<K, V> item, long now) {
        counts.endRun(item);
        counts.completed(item, now);
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
            counts.endRun(item);
            returned.addFirst(item);
            item = next;
        }
        if (!pw.dispatching) {
            return;
        }
        for (WorkItem<K, V> item : returned) {
            shard.queue.addFirst(item);
        }
        counts.requeued(pw, returned.size());
        ready.offer(shard, nanoClock.getAsLong());
    }
}
