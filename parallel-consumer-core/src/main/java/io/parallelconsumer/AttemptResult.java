package io.parallelconsumer;

/** How one run of the handler on one record ended, as told to a {@link ConsumerObserver}. */
public enum AttemptResult {

    /** The handler completed the record. */
    SUCCESS,

    /** The handler failed and the record will be tried again after the backoff. */
    RETRY,

    /** The handler failed on the last allowed attempt; the failure policy decides what happens next. */
    FAILURE
}
