package io.parallelconsumer.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.parallelconsumer.FailedRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dead-letter headers: Spring Kafka's names and encodings, first origin kept, this failure's exception. */
class DeadLetterHeadersTest {

    @Test
    void aFirstDeadLetterSaysWhereItCameFromAndWhyInSpringKafkasEncoding() {
        RecordHeaders own = new RecordHeaders();
        own.add("trace", bytes("t-1"));

        Headers headers = DeadLetterHeaders.of(failed("orders", 2, 42, own, false,
                new IllegalStateException("broken", new ArithmeticException("zero")), 3), "app");

        assertThat(text(headers, "trace")).isEqualTo("t-1");
        assertThat(text(headers, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo("orders");
        assertThat(ByteBuffer.wrap(value(headers, DeadLetterHeaders.ORIGINAL_PARTITION))).satisfies(
                buffer -> assertThat(buffer.remaining()).isEqualTo(4)).extracting(ByteBuffer::getInt).isEqualTo(2);
        assertThat(ByteBuffer.wrap(value(headers, DeadLetterHeaders.ORIGINAL_OFFSET))).satisfies(
                buffer -> assertThat(buffer.remaining()).isEqualTo(8)).extracting(ByteBuffer::getLong).isEqualTo(42L);
        assertThat(ByteBuffer.wrap(value(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP)).getLong()).isEqualTo(1000L);
        assertThat(text(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE)).isEqualTo("CreateTime");
        assertThat(text(headers, DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP)).isEqualTo("app");
        assertThat(text(headers, DeadLetterHeaders.EXCEPTION_FQCN)).isEqualTo(IllegalStateException.class.getName());
        assertThat(text(headers, DeadLetterHeaders.EXCEPTION_CAUSE_FQCN))
                .isEqualTo(ArithmeticException.class.getName());
        assertThat(text(headers, DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo("broken");
        assertThat(text(headers, DeadLetterHeaders.EXCEPTION_STACKTRACE)).startsWith(
                "java.lang.IllegalStateException: broken").contains("Caused by: java.lang.ArithmeticException: zero");
        assertThat(ByteBuffer.wrap(value(headers, DeadLetterHeaders.ATTEMPTS)).getInt()).isEqualTo(3);
    }

    @Test
    void aRecordDeadLetteredAgainKeepsItsFirstOriginAndGetsThisFailuresException() {
        Headers first = DeadLetterHeaders.of(failed("orders", 2, 42, new RecordHeaders(), false,
                new IllegalStateException("first"), 3), "app");

        Headers again = DeadLetterHeaders.of(failed("orders-dlt", 0, 7, first, false,
                new UnsupportedOperationException("second"), 1), "replayer");

        assertThat(all(again, DeadLetterHeaders.ORIGINAL_TOPIC)).containsExactly("orders");
        assertThat(ByteBuffer.wrap(value(again, DeadLetterHeaders.ORIGINAL_OFFSET)).getLong()).isEqualTo(42L);
        assertThat(all(again, DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP)).containsExactly("app");
        assertThat(all(again, DeadLetterHeaders.EXCEPTION_MESSAGE)).containsExactly("second");
        assertThat(all(again, DeadLetterHeaders.EXCEPTION_FQCN))
                .containsExactly(UnsupportedOperationException.class.getName());
        assertThat(again.headers(DeadLetterHeaders.EXCEPTION_CAUSE_FQCN)).isEmpty();
        assertThat(again.headers(DeadLetterHeaders.ATTEMPTS)).hasSize(1);
    }

    @Test
    void aKeyThatCouldNotBeDeserializedIsReportedUnderTheKeyExceptionHeaders() {
        Headers headers = DeadLetterHeaders.of(failed("orders", 0, 1, new RecordHeaders(), true,
                new IllegalArgumentException("bad key"), 0), null);

        assertThat(text(headers, DeadLetterHeaders.KEY_EXCEPTION_FQCN))
                .isEqualTo(IllegalArgumentException.class.getName());
        assertThat(text(headers, DeadLetterHeaders.KEY_EXCEPTION_MESSAGE)).isEqualTo("bad key");
        assertThat(headers.lastHeader(DeadLetterHeaders.KEY_EXCEPTION_STACKTRACE)).isNotNull();
        assertThat(headers.lastHeader(DeadLetterHeaders.EXCEPTION_FQCN)).isNull();
        assertThat(headers.lastHeader(DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP)).isNull();
    }

    private static FailedRecord<String, String> failed(String topic, int partition, long offset, Headers headers,
            boolean keyFailed, Throwable cause, int attempts) {
        return new FailedRecord<>(FailedRecord.Kind.DESERIALIZATION_FAILED, topic, partition, offset, null, null,
                null, attempts, cause, headers, 1000L, TimestampType.CREATE_TIME, keyFailed);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertThat(header).as(name).isNotNull();
        return header.value();
    }

    private static String text(Headers headers, String name) {
        return new String(value(headers, name), StandardCharsets.UTF_8);
    }

    private static List<String> all(Headers headers, String name) {
        List<String> values = new ArrayList<>();
        headers.headers(name).forEach(header -> values.add(new String(header.value(), StandardCharsets.UTF_8)));
        return values;
    }
}
