package io.parallelconsumer.internal.work;

import java.util.ArrayDeque;

/**
 * The records that must run one after the other: one key of a partition under {@code KEY} ordering, a whole
 * partition under {@code PARTITION}. Under {@code UNORDERED} a partition's shard is only a queue to be fair across
 * partitions, and its records may run together. Guarded by the work manager's lock.
 */
final class Shard<K, V> {

    final PartitionWork<K, V> partition;
    final Object key;
    /**
     * The queue of a whole partition under {@code KEY} ordering while its records do in-memory work (see
     * {@link OneQueue}); its records run one after the other, in offset order.
     */
    final boolean wholePartition;
    final ArrayDeque<WorkItem<K, V>> queue = new ArrayDeque<>(4);
    /** A record of this shard is running or waiting to retry, so (when ordered) the next one must wait. */
    boolean busy;
    /** For a whole partition's queue: the record (or the head of the batch) that runs now, or {@code null}. */
    WorkItem<K, V> running;
    /** Whether the shard sits in the ready queue. */
    boolean inReady;
    /** {@link System#nanoTime()} when the shard last joined the ready queue. */
    long readySinceNanos;
    /** Arrival number of the record at the head of the queue when the shard joined the ready queue: its place there. */
    long readySequence;

    Shard(PartitionWork<K, V> partition, Object key) {
        this(partition, key, false);
    }

    Shard(PartitionWork<K, V> partition, Object key, boolean wholePartition) {
        this.partition = partition;
        this.key = key;
        this.wholePartition = wholePartition;
    }
}
