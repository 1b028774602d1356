package io.parallelconsumer;

import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Starts processing one record and returns a stage that completes when it is done, without holding a thread in the
 * meantime. A stage completed exceptionally, or an exception thrown by {@link #handle}, counts as a failed attempt.
 * The method is called on a thread of the consumer and must not block.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface AsyncRecordHandler<K, V> {

    /**
     * Starts processing one record.
     * @param record the record; never {@code null}
     * @return a stage that completes when the record is done; {@code null} is treated as a failure
     */
    CompletionStage<?> handle(ConsumerRecord<K, V> record);
}
