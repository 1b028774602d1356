package io.parallelconsumer.internal.engine;

import io.parallelconsumer.AsyncRecordHandler;
import io.parallelconsumer.RecordHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;

/**
 * Puts the record being handled into the logging MDC around every handler call, whichever engine runs it, and takes
 * it out after: the consumer's name, the topic, the partition and the offset. Never the key, which may hold personal
 * data. An async handler has the MDC where it starts; threads it hands work to do not inherit it.
 */
final class RecordMdc {

    /** The consumer's name: the listener id under Spring. */
    static final String LISTENER = "parallelConsumer.listener";
    static final String TOPIC = "kafka.topic";
    static final String PARTITION = "kafka.partition";
    static final String OFFSET = "kafka.offset";

    private RecordMdc() {
    }

    static <K, V> RecordHandler<K, V> around(String listener, RecordHandler<K, V> handler) {
        return record -> {
            open(listener, record);
            try {
                handler.handle(record);
            }
            finally {
                close();
            }
        };
    }

    static <K, V> AsyncRecordHandler<K, V> around(String listener, AsyncRecordHandler<K, V> handler) {
        return record -> {
            open(listener, record);
            try {
                return handler.handle(record);
            }
            finally {
                close();
            }
        };
    }

    private static void open(String listener, ConsumerRecord<?, ?> record) {
        MDC.put(LISTENER, listener);
        MDC.put(TOPIC, record.topic());
        MDC.put(PARTITION, Integer.toString(record.partition()));
        MDC.put(OFFSET, Long.toString(record.offset()));
    }

    private static void close() {
        MDC.remove(LISTENER);
        MDC.remove(TOPIC);
        MDC.remove(PARTITION);
        MDC.remove(OFFSET);
    }
}
