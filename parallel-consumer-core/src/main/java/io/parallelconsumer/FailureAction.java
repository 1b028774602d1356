package io.parallelconsumer;

/** What a {@link FailurePolicy} decides for a record that cannot be processed. */
public enum FailureAction {

    /** Count the record as done and move on: its offset may be committed. */
    SKIP,

    /**
     * The policy published the record elsewhere, to a dead-letter topic, and the broker acknowledged it: the record
     * is done and its offset may be committed, counted as dead-lettered rather than skipped.
     */
    DEAD_LETTERED,

    /**
     * Stop the consumer without committing the record, so that it is delivered again when the group consumes this
     * partition next. Work in flight is drained and what is done is committed, as on {@link ParallelConsumer#close}.
     */
    STOP
}
