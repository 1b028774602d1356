package io.parallelconsumer.internal.work;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One fetched record on its way through the consumer: what an execution engine runs, and what it reports back.
 * Only one thread works on an item at a time, so its attempt count needs no guard.
 */
public final class WorkItem<K, V> {

    private final ConsumerRecord<K, V> record;
    final PartitionWork<K, V> partition;
    final Shard<K, V> shard;
    final long handle;
    /** Arrival number: records that arrived earlier run first, where their ordering allows. */
    final long sequence;
    /** When the current run started, for the work manager's estimate of run time. */
    long startedNanos;
    private int attempts;

    WorkItem(ConsumerRecord<K, V> record, PartitionWork<K, V> partition, Shard<K, V> shard, long handle,
            long sequence) {
        this.record = record;
        this.partition = partition;
        this.shard = shard;
        this.handle = handle;
        this.sequence = sequence;
    }

    public ConsumerRecord<K, V> record() {
        return record;
    }

    /** When the current run started, on the work manager's clock ({@link WorkManager#nanoTime()}). */
    public long startedNanos() {
        return startedNanos;
    }

    /** Attempts that have failed so far. */
    public int failedAttempts() {
        return attempts;
    }

    /** Counts one more failed attempt and returns the new total. */
    public int recordFailedAttempt() {
        return ++attempts;
    }

    /** The partition epoch this item was fetched in. */
    public int epoch() {
        return partition.epoch;
    }

    @Override
    public String toString() {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
