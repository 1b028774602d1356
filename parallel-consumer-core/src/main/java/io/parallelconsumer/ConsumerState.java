package io.parallelconsumer;

/** The life cycle of a {@link ParallelConsumer}. */
public enum ConsumerState {
    /** Built, not started. */
    CREATED,
    /** Fetching and processing. */
    RUNNING,
    /** Closing: no longer fetching; draining work in flight and committing. */
    STOPPING,
    /** Closed after a requested shutdown. */
    STOPPED,
    /** Stopped on its own because of an error (see {@link ConsumerSnapshot#failure()}). */
    FAILED
}
