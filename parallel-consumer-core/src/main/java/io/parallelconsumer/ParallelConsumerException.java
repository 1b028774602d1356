package io.parallelconsumer;

/** Why a {@link ParallelConsumer} stopped on its own, or could not do what was asked of it. */
public class ParallelConsumerException extends RuntimeException {

    public ParallelConsumerException(String message) {
        super(message);
    }

    public ParallelConsumerException(String message, Throwable cause) {
        super(message, cause);
    }
}
