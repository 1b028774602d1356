package io.parallelconsumer.internal.fetch;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * A fetched record that also holds its key and value as fetched. To the handler it is the record it would have
 * got: same fields, same headers.
 */
final class RecordWithBytes<K, V> extends ConsumerRecord<K, V> {

    private final byte[] keyBytes;
    private final byte[] valueBytes;

    RecordWithBytes(ConsumerRecord<K, V> record, Headers headers, byte[] keyBytes, byte[] valueBytes) {
        super(record.topic(), record.partition(), record.offset(), record.timestamp(), record.timestampType(),
                record.serializedKeySize(), record.serializedValueSize(), record.key(), record.value(), headers,
                record.leaderEpoch(), record.deliveryCount());
        this.keyBytes = keyBytes;
        this.valueBytes = valueBytes;
    }

    byte[] keyBytes() {
        return keyBytes;
    }

    byte[] valueBytes() {
        return valueBytes;
    }
}
