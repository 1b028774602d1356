package io.parallelconsumer.internal.work;

import java.util.Arrays;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The poller's side of queueing fetched records. The poller alone assigns partitions, so it finds the shards of a
 * batch's records before taking the lock ({@link #findShards}), which the workers then wait for only as long as it
 * takes to queue them ({@link #queue}); records a previous owner completed are entered as done instead. Guarded by
 * the work manager's lock, except {@link #findShards} and {@link #release}, which only the poller calls.
 */
final class Intake<K, V> {

    private final ReadyShards<K, V> ready;
    private final OneQueue<K, V> oneQueue;
    /** The poller's scratch space: the shard of each record of the batch being added. */
    private Shard<K, V>[] shards = newShardArray(512);
    /** How much of {@link #shards} holds shards, to clear it afterwards. */
    private int used;

    Intake(ReadyShards<K, V> ready, OneQueue<K, V> oneQueue) {
        this.ready = ready;
        this.oneQueue = oneQueue;
    }

    /** Finds the shard of each record, unless the partition's records go to its one queue. Poller, no lock. */
    void findShards(PartitionWork<K, V> pw, List<ConsumerRecord<K, V>> records) {
        if (pw.asOneQueue) {
            return;
        }
        int size = records.size();
        if (shards.length < size) {
            shards = newShardArray(size);
        }
        for (int i = 0; i < size; i++) {
            shards[i] = pw.shardFor(records.get(i).key());
        }
        used = size;
    }

    /**
     * Queues the records, as one queue or by shard, and makes their shards ready. Under the lock.
     * @return how many were skipped as done by a previous owner
     */
    int queue(PartitionWork<K, V> pw, List<ConsumerRecord<K, V>> records, long now) {
        if (oneQueue.mayStart(pw)) {
            pw.asOneQueue = true;
        }
        if (pw.asOneQueue) {
            return queueAsOne(pw, records, now);
        }
        if (used < records.size()) {
            findShards(pw, records); // split by a worker since the poller looked
        }
        return queueByShard(pw, records, now);
    }

    /** Clears the scratch space, once the lock is released. Poller. */
    void release() {
        if (used > 0) {
            Arrays.fill(shards, 0, used, null);
            used = 0;
        }
    }

    private int queueByShard(PartitionWork<K, V> pw, List<ConsumerRecord<K, V>> records, long now) {
        int size = records.size();
        boolean placeByQueue = ready.placesByQueue(pw);
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
            if (ready.offer(shard, now) && placeByQueue) {
                ready.moveForward(shard);
            }
        }
        return skipped;
    }

    private int queueAsOne(PartitionWork<K, V> pw, List<ConsumerRecord<K, V>> records, long now) {
        Shard<K, V> shard = pw.wholePartition();
        int skipped = 0;
        for (ConsumerRecord<K, V> record : records) {
            if (!enqueue(pw, shard, record, now)) {
                skipped++;
            }
        }
        ready.offer(shard, now);
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
        shard.queue.addLast(new WorkItem<>(record, pw, shard, handle, ready.nextSequence()));
        return true;
    }

    private static boolean alreadyDone(PartitionWork<?, ?> pw, long offset) {
        boolean done = pw.alreadyDone.contains(offset);
        if (pw.alreadyDone.exhaustedAt(offset)) {
            pw.alreadyDone = null;
        }
        return done;
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Shard<K, V>[] newShardArray(int size) {
        return (Shard<K, V>[]) new Shard<?, ?>[size];
    }
}
