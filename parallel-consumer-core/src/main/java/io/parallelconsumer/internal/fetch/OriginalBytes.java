package io.parallelconsumer.internal.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Moves the original bytes that {@link OriginalBytesDeserializer} left in the headers into the record itself (a
 * {@link RecordWithBytes}), so that the handler sees the record's own headers only.
 */
public final class OriginalBytes {

    /** Internal headers, on records between the deserializer and the poller only. */
    static final String KEY_HEADER = "__parallel-consumer.original-key";
    static final String VALUE_HEADER = "__parallel-consumer.original-value";

    private OriginalBytes() {
    }

    /** The records with their original bytes taken out of their headers; the list as it is when none has them. */
    public static <K, V> List<ConsumerRecord<K, V>> detach(List<ConsumerRecord<K, V>> records) {
        List<ConsumerRecord<K, V>> detached = null;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<K, V> record = records.get(i);
            Header key = record.headers().lastHeader(KEY_HEADER);
            Header value = record.headers().lastHeader(VALUE_HEADER);
            if (key == null && value == null) {
                if (detached != null) {
                    detached.add(record);
                }
                continue;
            }
            if (detached == null) {
                detached = new ArrayList<>(records.size());
                detached.addAll(records.subList(0, i));
            }
            detached.add(new RecordWithBytes<>(record, withoutOriginalBytes(record.headers()),
                    key == null ? null : key.value(), value == null ? null : value.value()));
        }
        return detached == null ? records : detached;
    }

    /** The headers without the internal ones: a record's own headers, as the handler and a dead letter see them. */
    public static Headers withoutOriginalBytes(Headers headers) {
        RecordHeaders kept = new RecordHeaders();
        for (Header header : headers) {
            if (!header.key().equals(KEY_HEADER) && !header.key().equals(VALUE_HEADER)) {
                kept.add(header);
            }
        }
        return kept;
    }

    /** The original key bytes of a record the consumer kept them for; empty for other records or a null key. */
    public static Optional<byte[]> key(ConsumerRecord<?, ?> record) {
        return record instanceof RecordWithBytes<?, ?> withBytes ? Optional.ofNullable(withBytes.keyBytes())
                : Optional.empty();
    }

    /** The original value bytes of a record the consumer kept them for; empty for other records or a null value. */
    public static Optional<byte[]> value(ConsumerRecord<?, ?> record) {
        return record instanceof RecordWithBytes<?, ?> withBytes ? Optional.ofNullable(withBytes.valueBytes())
                : Optional.empty();
    }
}
