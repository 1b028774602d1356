package io.parallelconsumer;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record that could not be processed, as handed to a {@link FailurePolicy}.
 *
 * @param kind why the record failed
 * @param topic the record's topic
 * @param partition the record's partition
 * @param offset the record's offset
 * @param record the deserialized record; {@code null} when it could not be deserialized
 * @param rawKey the key bytes as fetched, only for a deserialization failure (else {@code null}); read-only
 * @param rawValue the value bytes as fetched, only for a deserialization failure (else {@code null}); read-only
 * @param attempts how many attempts were made (0 for a deserialization failure)
 * @param cause the last exception
 * @param <K> the key type
 * @param <V> the value type
 */
public record FailedRecord<K, V>(Kind kind, String topic, int partition, long offset, ConsumerRecord<K, V> record,
        ByteBuffer rawKey, ByteBuffer rawValue, int attempts, Throwable cause) {

    /** Why a record failed. */
    public enum Kind {
        /** The handler failed on every attempt. */
        HANDLER_FAILED,
        /** The key or value could not be deserialized; the handler never saw the record. */
        DESERIALIZATION_FAILED
    }

    public FailedRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(cause, "cause");
    }

    /** A record the handler failed on {@code attempts} times. */
    public static <K, V> FailedRecord<K, V> handlerFailed(ConsumerRecord<K, V> record, int attempts, Throwable cause) {
        return new FailedRecord<>(Kind.HANDLER_FAILED, record.topic(), record.partition(), record.offset(), record,
                null, null, attempts, cause);
    }
}
