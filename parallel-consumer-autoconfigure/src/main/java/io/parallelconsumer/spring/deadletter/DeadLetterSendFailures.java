package io.parallelconsumer.spring.deadletter;

/** Told of each failed try to dead-letter a record, for example to count it in a meter. */
@FunctionalInterface
public interface DeadLetterSendFailures {

    /**
     * @param listenerId the listener whose record could not be dead-lettered
     * @param cause why the try failed
     */
    void failed(String listenerId, Throwable cause);
}
