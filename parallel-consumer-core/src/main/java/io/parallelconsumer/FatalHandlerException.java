package io.parallelconsumer;

/**
 * Thrown by a handler, or by the framework that calls it, when a failure is not the record's fault but the
 * handler's: a listener method that cannot take the record it was given, an argument that cannot be converted, a bug
 * in an adapter. Retrying would fail the same way and skipping would commit a record no one looked at, so the
 * consumer stops at once: the record is neither retried nor handed to the {@link FailurePolicy}, and it stays
 * uncommitted (the consumer fails with this exception as the cause, and the record is delivered again once the
 * handler is fixed). Records of other keys that are already running finish and are committed, as on any stop.
 */
public class FatalHandlerException extends RuntimeException {

    public FatalHandlerException(String message, Throwable cause) {
        super(message, cause);
    }
}
