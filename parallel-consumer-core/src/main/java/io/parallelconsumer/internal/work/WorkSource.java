package io.parallelconsumer.internal.work;

import io.parallelconsumer.internal.work.WorkItem;

/** Where an execution engine takes records to run, and where it reports how each run ended. */
public interface WorkSource<K, V> {

    /**
     * Takes the next record that may run, waiting until there is one.
     * @return the record, or {@code null} when there will be no more work
     */
    WorkItem<K, V> take() throws InterruptedException;

    /**
     * Reports that a run ended.
     * @param item the record that ran
     * @param failure why it failed, or {@code null} if it succeeded
     */
    void completed(WorkItem<K, V> item, Throwable failure);

    /**
     * Reports that a run ended and hands over the next record that may run right away, if any: what a worker
     * that stays on the same thread does between two records, at the cost of one hand-over instead of two.
     * @return the next record, or {@code null} if none may run now
     */
    WorkItem<K, V> completedAndPoll(WorkItem<K, V> item, Throwable failure);

    /**
     * An engine thread failed outside any handler - a fault of the consumer itself, or of the JVM: the consumer
     * stops, and the records that thread held stay uncommitted, to be delivered again. Without this the thread
     * would end silently and its records would block their keys and the commit for good.
     */
    void engineFailed(Throwable error);
}
