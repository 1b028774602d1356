package io.parallelconsumer.deadletter;

import io.parallelconsumer.ParallelConsumerException;

/** A record could not be dead-lettered; the consumer stops without committing it. */
public class DeadLetterException extends ParallelConsumerException {

    public DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}
