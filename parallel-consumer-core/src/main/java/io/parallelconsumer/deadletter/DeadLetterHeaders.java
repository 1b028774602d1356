package io.parallelconsumer.deadletter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.parallelconsumer.FailedRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers a dead letter carries: the record's own, then where it came from and why it failed, under Spring
 * Kafka's {@code kafka_dlt-*} names and encodings (strings in UTF-8, the partition a 4-byte and the offset and
 * timestamp 8-byte big-endian numbers), so that tooling and replay scripts written for Spring Kafka's dead-letter
 * topics read these too.
 */
public final class DeadLetterHeaders {

    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    public static final String ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";
    public static final String ORIGINAL_TIMESTAMP_TYPE = "kafka_dlt-original-timestamp-type";
    public static final String ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";
    public static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    public static final String EXCEPTION_CAUSE_FQCN = "kafka_dlt-exception-cause-fqcn";
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    public static final String EXCEPTION_STACKTRACE = "kafka_dlt-exception-stacktrace";
    public static final String KEY_EXCEPTION_FQCN = "kafka_dlt-key-exception-fqcn";
    public static final String KEY_EXCEPTION_MESSAGE = "kafka_dlt-key-exception-message";
    public static final String KEY_EXCEPTION_STACKTRACE = "kafka_dlt-key-exception-stacktrace";
    /** How many times the handler was tried (4-byte big-endian; 0 for a record that could not be deserialized). */
    public static final String ATTEMPTS = "parallel-consumer_dlt-attempts";

    private DeadLetterHeaders() {
    }

    /**
     * The record's headers and the dead-letter ones. A record dead-lettered before (replayed from a dead-letter
     * topic, failed again) keeps its first origin; the exception headers are this failure's.
     */
    static Headers of(FailedRecord<?, ?> failed, String groupId) {
        RecordHeaders headers = new RecordHeaders();
        boolean keyFailed = failed.keyNotDeserializable();
        for (Header header : failed.headers()) {
            if (!isExceptionHeader(header.key())) {
                headers.add(header);
            }
        }
        addIfAbsent(headers, ORIGINAL_TOPIC, utf8(failed.topic()));
        addIfAbsent(headers, ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(failed.partition()).array());
        addIfAbsent(headers, ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(failed.offset()).array());
        addIfAbsent(headers, ORIGINAL_TIMESTAMP, ByteBuffer.allocate(Long.BYTES).putLong(failed.timestamp()).array());
        addIfAbsent(headers, ORIGINAL_TIMESTAMP_TYPE, utf8(failed.timestampType().toString()));
        if (groupId != null) {
            addIfAbsent(headers, ORIGINAL_CONSUMER_GROUP, utf8(groupId));
        }
        Throwable cause = failed.cause();
        headers.add(keyFailed ? KEY_EXCEPTION_FQCN : EXCEPTION_FQCN, utf8(cause.getClass().getName()));
        if (cause.getCause() != null) {
            headers.add(EXCEPTION_CAUSE_FQCN, utf8(cause.getCause().getClass().getName()));
        }
        if (cause.getMessage() != null) {
            headers.add(keyFailed ? KEY_EXCEPTION_MESSAGE : EXCEPTION_MESSAGE, utf8(cause.getMessage()));
        }
        headers.add(keyFailed ? KEY_EXCEPTION_STACKTRACE : EXCEPTION_STACKTRACE, utf8(stackTrace(cause)));
        headers.remove(ATTEMPTS);
        headers.add(ATTEMPTS, ByteBuffer.allocate(Integer.BYTES).putInt(failed.attempts()).array());
        return headers;
    }

    private static boolean isExceptionHeader(String key) {
        return key.equals(EXCEPTION_FQCN) || key.equals(EXCEPTION_CAUSE_FQCN) || key.equals(EXCEPTION_MESSAGE)
                || key.equals(EXCEPTION_STACKTRACE) || key.equals(KEY_EXCEPTION_FQCN)
                || key.equals(KEY_EXCEPTION_MESSAGE) || key.equals(KEY_EXCEPTION_STACKTRACE);
    }

    private static void addIfAbsent(Headers headers, String key, byte[] value) {
        if (headers.lastHeader(key) == null) {
            headers.add(key, value);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String stackTrace(Throwable cause) {
        StringWriter text = new StringWriter();
        cause.printStackTrace(new PrintWriter(text, true));
        return text.toString();
    }
}
