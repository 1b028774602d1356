package io.parallelconsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes one record and returns when it is done. A thrown exception counts as a failed attempt: the record is
 * retried according to the consumer's retry settings, then handed to its {@link FailurePolicy}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface RecordHandler<K, V> {

    /**
     * Processes one record.
     * @param record the record; never {@code null}
     * @throws Exception to fail this attempt
     */
    void handle(ConsumerRecord<K, V> record) throws Exception;
}
