package io.parallelconsumer.internal.engine;

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
}
