package io.parallelconsumer.internal.work;

/**
 * What the dispatcher, on the engines' threads, may ask of the work manager: records to run, and how each run
 * ended. Engine threads call these, never the poller.
 */
public interface DispatchedWork<K, V> {

    /**
     * Takes the next record that may run, waiting for one if need be.
     * @return the record, or {@code null} once dispatching has stopped for good
     */
    WorkItem<K, V> take() throws InterruptedException;

    /** Takes the next record that may run, or returns {@code null} at once if there is none. */
    WorkItem<K, V> poll();

    /**
     * The next record of the batch that {@code item} was handed out in, started without taking the lock; or
     * {@code null} if there is none or dispatching has stopped for it (then report {@code item} through
     * {@link #completeAndPoll}, which settles the whole batch). Tells readers under the lock that everything before
     * the returned record is done.
     * @param startNanos when the next record starts: the clock if the caller read it, or else the start of
     *        {@code item} - the run-time estimate times whole batches and needs no clock reading per record
     */
    WorkItem<K, V> nextInBatch(WorkItem<K, V> item, long startNanos);

    /**
     * Completes a record (with the records before it in its batch) and takes the next one that may run, under one
     * lock acquisition: what a worker does between two records. The record returned may head a batch: the caller
     * runs it, then the rest of the batch as {@link #nextInBatch} hands it out, on this same thread.
     * @return the next record, or {@code null} if none may run now (then block in {@link #take()})
     */
    WorkItem<K, V> completeAndPoll(WorkItem<K, V> item);

    /**
     * A record is done (processed, or given up on and skipped): its offset may be committed. For a record of a
     * batch, so are the records before it in the batch; those after it go back to their shard.
     */
    void complete(WorkItem<K, V> item);

    /**
     * A record's attempt failed. In a batch, the records before it in the batch are complete, those after it go back
     * to the head of their shard, and it goes on alone (to be retried, skipped or abandoned). A record of a
     * partition's one queue also splits that queue by key, so that its retries hold up only its key.
     */
    void attemptFailed(WorkItem<K, V> item);

    /**
     * A record failed and will be tried again later: it keeps its shard busy (so later records of an ordered shard
     * wait) without holding a worker.
     * @return {@code false} if the record's partition is no longer being worked on, so there is nothing to retry
     */
    boolean awaitRetry(WorkItem<K, V> item);

    /**
     * A record's retry delay is over: it goes back to the head of its shard.
     * @return {@code false} if the record's partition went away meanwhile and the record was dropped with it
     */
    boolean retryNow(WorkItem<K, V> item);

    /**
     * A record will not be completed (the consumer stops because of it): it stays incomplete, and its shard stays
     * busy so that nothing after it in order runs.
     */
    void abandon(WorkItem<K, V> item);

    /** Now on the clock that stamps {@link WorkItem#startedNanos()}. */
    long nanoTime();
}
