package io.parallelconsumer.internal.work;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.parallelconsumer.internal.offset.CompletedOffsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the poller may ask of the work manager: it alone assigns and revokes partitions, hands over fetched records,
 * and reads how much is in flight for backpressure. Poller thread only, except where a method says otherwise.
 */
public interface FetchedWork<K, V> {

    /** Starts a new epoch for a newly assigned partition. Returns the epoch. */
    int assign(TopicPartition tp);

    /**
     * Notes the offsets that the partition's previous owner had already completed (read from the commit metadata on
     * assignment): when fetched, they are counted as done without running.
     */
    void skipAlreadyDone(TopicPartition tp, CompletedOffsets done);

    /**
     * Adds records fetched from one partition, in offset order. Under {@code KEY} ordering, while records do
     * in-memory work and nothing of the partition is queued or running, they may go to one queue for the whole
     * partition, split by key as soon as that stops paying (see {@link OneQueue}).
     */
    void add(TopicPartition tp, List<ConsumerRecord<K, V>> records);

    /** Records an offset that was fetched but needs no processing (it was given up on before it could run). */
    void addCompleted(TopicPartition tp, long offset);

    /**
     * Notes where fetching of a partition stands after a poll: the next fetch offset (committed when nothing of the
     * partition is incomplete) and, when known ({@code >= 0}), the log-end offset.
     */
    void fetchPosition(TopicPartition tp, long position, long logEndOffset);

    /** Notes a partition's log-end offset read from the broker while it is paused (no fetch tells it then). */
    void logEndOffset(TopicPartition tp, long logEndOffset);

    /**
     * Wakes waiting engine threads if ready work would otherwise wait. The poller calls this on every loop, so that
     * work behind records that unexpectedly run long never waits much longer than a poll.
     */
    void nudge();

    /** Notes which partitions are paused now, for snapshots. */
    void markPaused(Set<TopicPartition> paused);

    /** Records fetched and not yet completed, over all active partitions. */
    int incomplete();

    /** Records fetched and not yet completed, per active partition. */
    Map<TopicPartition, Integer> incompleteByPartition();

    /**
     * Runs {@code alarm} once, from the thread completing a record, as soon as the incomplete records fall to
     * {@code mark} - so that a poller waiting while fetching is paused learns at once that it may resume.
     * Replaces any alarm set before; {@code null} clears it.
     */
    void onIncompleteAtMost(int mark, Runnable alarm);

    /**
     * Stops starting records of these partitions: what is queued or waiting to retry is dropped (it stays incomplete,
     * so it is never committed past), while what runs may still complete and count.
     */
    void stopDispatching(Collection<TopicPartition> tps);

    /** Stops starting any record: engine threads get no more work. Running records may complete. Any thread. */
    void stopDispatching();

    /**
     * Waits until every record fetched from these partitions (or from any, when {@code tps} is {@code null}) is
     * complete - queued, running and retrying ones alike - or until the deadline. Used before handing partitions
     * over or shutting down, so that the commit covers everything fetched and nothing done is redone elsewhere.
     * @return whether everything fetched is complete
     */
    boolean awaitDrained(Collection<TopicPartition> tps, long deadlineNanos) throws InterruptedException;

    /**
     * Waits until no record of these partitions (or of any partition, when {@code tps} is {@code null}) is running,
     * or until the deadline.
     * @return whether they are idle
     */
    boolean awaitIdle(Collection<TopicPartition> tps, long deadlineNanos) throws InterruptedException;

    /**
     * Finishes what was fetched from these partitions ({@code null}: all) - unless {@code drain} is off - then stops
     * dispatching them and waits for what still runs, all by the deadline: what a revocation and a shutdown do
     * before their final commit, so that it covers everything done and nothing done is redone elsewhere.
     * @return whether nothing of them runs any more; records still running stay uncommitted
     */
    default boolean finishAndStop(Collection<TopicPartition> tps, long deadlineNanos, boolean drain)
            throws InterruptedException {
        boolean drained = drain && awaitDrained(tps, deadlineNanos);
        if (tps == null) {
            stopDispatching();
        }
        else {
            stopDispatching(tps);
        }
        return drained || awaitIdle(tps, deadlineNanos);
    }

    /** Forgets these partitions: completions of their current epoch are dropped from now on. */
    void revoke(Collection<TopicPartition> tps);
}
