package io.parallelconsumer;

import java.nio.ByteBuffer;
import java.util.Objects;

import io.parallelconsumer.internal.fetch.OriginalBytes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A record that could not be processed, as handed to a {@link FailurePolicy}.
 *
 * @param kind why the record failed
 * @param topic the record's topic
 * @param partition the record's partition
 * @param offset the record's offset
 * @param record the deserialized record; {@code null} when it could not be deserialized
 * @param rawKey the key bytes as fetched (read-only; {@code null} for a null key): always for a deserialization
 *        failure, and for a handler failure when the policy {@linkplain FailurePolicy#keepsOriginalBytes keeps them}
 * @param rawValue the value bytes as fetched (read-only; {@code null} for a null value), as {@code rawKey}
 * @param attempts how many attempts were made (0 for a deserialization failure)
 * @param cause the last exception
 * @param headers the record's headers as fetched
 * @param timestamp the record's timestamp
 * @param timestampType what the timestamp means
 * @param keyNotDeserializable whether, for a deserialization failure, it was the key that failed (else the value)
 * @param <K> the key type
 * @param <V> the value type
 */
public record FailedRecord<K, V>(Kind kind, String topic, int partition, long offset, ConsumerRecord<K, V> record,
        ByteBuffer rawKey, ByteBuffer rawValue, int attempts, Throwable cause, Headers headers, long timestamp,
        TimestampType timestampType, boolean keyNotDeserializable) {

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
        headers = headers != null ? headers : new RecordHeaders();
        timestampType = timestampType != null ? timestampType : TimestampType.NO_TIMESTAMP_TYPE;
    }

    /** Without headers and timestamp, as before they were part of it. */
    public FailedRecord(Kind kind, String topic, int partition, long offset, ConsumerRecord<K, V> record,
            ByteBuffer rawKey, ByteBuffer rawValue, int attempts, Throwable cause) {
        this(kind, topic, partition, offset, record, rawKey, rawValue, attempts, cause,
                record != null ? record.headers() : null, record != null ? record.timestamp() : -1,
                record != null ? record.timestampType() : null, false);
    }

    /** A record the handler failed on {@code attempts} times, with its original bytes if the consumer kept them. */
    public static <K, V> FailedRecord<K, V> handlerFailed(ConsumerRecord<K, V> record, int attempts, Throwable cause) {
        return new FailedRecord<>(Kind.HANDLER_FAILED, record.topic(), record.partition(), record.offset(), record,
                OriginalBytes.key(record).map(FailedRecord::readOnly).orElse(null),
                OriginalBytes.value(record).map(FailedRecord::readOnly).orElse(null), attempts, cause,
                record.headers(), record.timestamp(), record.timestampType(), false);
    }

    private static ByteBuffer readOnly(byte[] bytes) {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }
}
