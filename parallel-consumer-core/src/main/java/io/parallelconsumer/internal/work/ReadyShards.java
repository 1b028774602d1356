package io.parallelconsumer.internal.work;

import java.util.function.Predicate;

/**
 * The shards whose next record may run, and where each waits for a worker. An ordered shard waits at the arrival of
 * its next record, so that a worker always takes the oldest record that may run; with slow records, a shard with
 * records queued behind its next one is moved forward by {@link WorkTuning#chainWeightPerConcurrency()}
 * concurrencies per queued record, so that the longest queues, which need that many runs one after the other, start
 * first and do not leave most workers idle at the end of a backlog. An unordered shard (one per partition, whose
 * records run side by side) rejoins behind every shard already waiting, so that partitions take turns. Also hands
 * out the arrival numbers. Guarded by the work manager's lock.
 */
final class ReadyShards<K, V> {

    private final ReadyQueue<K, V> queue = new ReadyQueue<>();
    private final RunTimeEstimate runTime;
    /** Arrival places each queued record moves its shard forward, with slow records; 0: never. */
    private final long chainWeight;
    private final int maxQueuedCounted;
    /** Arrival number of the next record added. */
    private long nextSequence;
    /**
     * Set once dispatching stopped for good: no shard joins any more and no record starts. Volatile for workers going
     * on with a batch without the lock; written under it.
     */
    private volatile boolean closed;

    /** @param concurrency how many records run at once; 0 turns the longest-queue placement off */
    ReadyShards(RunTimeEstimate runTime, int concurrency, WorkTuning tuning) {
        this.runTime = runTime;
        this.chainWeight = (long) tuning.chainWeightPerConcurrency() * concurrency;
        this.maxQueuedCounted = tuning.maxQueuedCounted();
    }

    /** The arrival number of a newly fetched record. */
    long nextSequence() {
        return nextSequence++;
    }

    /**
     * Puts a shard in the queue if its next record may run and it is not there already.
     * @return whether the shard is in the queue now
     */
    boolean offer(Shard<K, V> shard, long now) {
        if (shard.inReady || shard.busy || shard.queue.isEmpty() || !shard.partition.dispatching || closed) {
            return shard.inReady;
        }
        shard.inReady = true;
        shard.readySinceNanos = now;
        shard.readySequence = shard.partition.ordered() ? place(shard) : nextSequence++;
        queue.add(shard);
        return true;
    }

    /** Whether shards of this partition move forward by their queues as records are added (see the class). */
    boolean placesByQueue(PartitionWork<K, V> pw) {
        return pw.ordered() && chainWeight > 0 && runTime.slow();
    }

    /** Moves a waiting shard forward to its place by its queue, after more records joined that queue. */
    void moveForward(Shard<K, V> shard) {
        long place = place(shard);
        if (place < shard.readySequence) {
            queue.remove(shard);
            shard.readySequence = place;
            queue.add(shard);
        }
    }

    private long place(Shard<K, V> shard) {
        long place = shard.queue.peekFirst().sequence;
        if (runTime.slow()) {
            place -= Math.min(shard.queue.size() - 1, maxQueuedCounted) * chainWeight;
        }
        return place;
    }

    /** Takes the shard that waited in front; the queue must not be empty. */
    Shard<K, V> poll() {
        Shard<K, V> shard = queue.poll();
        shard.inReady = false;
        return shard;
    }

    /** The shard in front, or {@code null}. */
    Shard<K, V> peek() {
        return queue.peek();
    }

    /** Takes a shard out of the queue, if it is in it. */
    void remove(Shard<K, V> shard) {
        if (shard.inReady) {
            queue.remove(shard);
            shard.inReady = false;
        }
    }

    void removeIf(Predicate<Shard<K, V>> filter) {
        queue.removeIf(filter);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /** Whether dispatching goes on: records may start. */
    boolean isOpen() {
        return !closed;
    }

    /** Empties the queue for good: dispatching stopped. */
    void close() {
        closed = true;
        queue.clear();
    }
}
