package io.parallelconsumer.internal.work;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.parallelconsumer.RecordTracing;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One fetched record on its way through the consumer: what an execution engine runs, and what it reports back.
 * Only one thread works on an item at a time, so its attempt count needs no guard.
 */
public final class WorkItem<K, V> {

    private final ConsumerRecord<K, V> record;
    final PartitionWork<K, V> partition;
    /**
     * Written under the work manager's lock, and only while the record is not running: splitting a partition's one
     * queue by key moves its queued records (and the one that failed) to their keys' shards.
     */
    Shard<K, V> shard;
    final long handle;
    /** Arrival number: records that arrived earlier run first, where their ordering allows. */
    final long sequence;
    /** When the current run started, for the work manager's estimate of run time. */
    long startedNanos;
    /**
     * The next record of the batch this one was handed out in: records of the same shard that one thread runs one
     * after the other (see {@link WorkManager#completeAndPoll}); {@code null} for the last or a record on its own.
     */
    WorkItem<K, V> nextInBatch;
    /** The first record of the batch this one was handed out in, or {@code null} for a record on its own. */
    WorkItem<K, V> batchHead;
    /**
     * On a batch's first record: the first record of the batch not yet counted complete. Guarded by the work
     * manager's lock.
     */
    WorkItem<K, V> batchUnsettled;
    /**
     * On a batch's first record: the record of the batch its worker runs now; everything before it is done.
     * Published by the worker without the lock (a release store, cheap on the hot path), read under the lock.
     */
    @SuppressWarnings("unused") // through BATCH_RUNNING
    private WorkItem<K, V> batchRunning;

    /** The record's trace while it has one (tracing on, first attempt started, not yet ended); see {@link RecordTraces}. */
    @SuppressWarnings("unused") // through TRACE
    private volatile RecordTracing.Trace trace;

    private static final VarHandle BATCH_RUNNING;
    private static final VarHandle TRACE;

    static {
        try {
            BATCH_RUNNING = MethodHandles.lookup().findVarHandle(WorkItem.class, "batchRunning", WorkItem.class);
            TRACE = MethodHandles.lookup().findVarHandle(WorkItem.class, "trace", RecordTracing.Trace.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }
    private int attempts;

    WorkItem(ConsumerRecord<K, V> record, PartitionWork<K, V> partition, Shard<K, V> shard, long handle,
            long sequence) {
        this.record = record;
        this.partition = partition;
        this.shard = shard;
        this.handle = handle;
        this.sequence = sequence;
    }

    void publishBatchRunning(WorkItem<K, V> running) {
        BATCH_RUNNING.setRelease(this, running);
    }

    @SuppressWarnings("unchecked")
    WorkItem<K, V> batchRunning() {
        return (WorkItem<K, V>) BATCH_RUNNING.getAcquire(this);
    }

    /** Set by the thread about to run the record's first attempt. */
    void trace(RecordTracing.Trace started) {
        TRACE.setVolatile(this, started);
    }

    RecordTracing.Trace trace() {
        return (RecordTracing.Trace) TRACE.getVolatile(this);
    }

    /** The trace, taken away so that it ends only once: a sweep for records left behind may race with their run. */
    RecordTracing.Trace takeTrace() {
        return (RecordTracing.Trace) TRACE.getAndSet(this, (RecordTracing.Trace) null);
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
