package io.parallelconsumer.internal.fetch;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bytes a deserializer was given, kept and moved into the record, out of the handler's sight. */
class OriginalBytesTest {

    @Test
    void theDeserializersBytesEndUpInTheRecordAndNotInItsHeaders() {
        Deserializer<String> keys = OriginalBytesDeserializer.forKeys(new StringDeserializer());
        Deserializer<String> values = OriginalBytesDeserializer.forValues(new StringDeserializer());
        RecordHeaders headers = new RecordHeaders();
        headers.add("own", "h".getBytes(StandardCharsets.UTF_8));
        byte[] keyBytes = "k".getBytes(StandardCharsets.UTF_8);
        byte[] valueBytes = "v".getBytes(StandardCharsets.UTF_8);
        String key = keys.deserialize("t", headers, keyBytes);
        String value = values.deserialize("t", headers, valueBytes);
        ConsumerRecord<String, String> fetched = new ConsumerRecord<>("t", 0, 5, 1L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 1, 1, key, value, headers,
                java.util.Optional.empty());
        ConsumerRecord<String, String> plain = new ConsumerRecord<>("t", 0, 4, "a", "b");

        List<ConsumerRecord<String, String>> detached = OriginalBytes.detach(List.of(plain, fetched));

        assertThat(detached.get(0)).isSameAs(plain);
        ConsumerRecord<String, String> record = detached.get(1);
        assertThat(record.key()).isEqualTo("k");
        assertThat(record.value()).isEqualTo("v");
        assertThat(record.offset()).isEqualTo(5);
        assertThat(record.headers().toArray()).extracting(h -> h.key()).containsExactly("own");
        assertThat(OriginalBytes.key(record)).containsSame(keyBytes);
        assertThat(OriginalBytes.value(record)).containsSame(valueBytes);
        assertThat(OriginalBytes.key(plain)).isEmpty();
        assertThat(OriginalBytes.value(plain)).isEmpty();
    }

    @Test
    void recordsWithoutKeptBytesComeBackAsTheyWere() {
        List<ConsumerRecord<String, String>> records = List.of(new ConsumerRecord<>("t", 0, 1, "a", "b"));

        assertThat(OriginalBytes.detach(records)).isSameAs(records);
    }

    @Test
    void theDeserializerNamedInThePropertiesIsCreatedAndABadNameSaysWhichProperty() {
        OriginalBytesDeserializer.Value<Object> named = new OriginalBytesDeserializer.Value<>();
        named.configure(Map.of(OriginalBytesDeserializer.VALUE_DELEGATE, StringDeserializer.class.getName()), false);
        assertThat(named.deserialize("t", new RecordHeaders(), "x".getBytes(StandardCharsets.UTF_8))).isEqualTo("x");

        OriginalBytesDeserializer.Key<Object> wrong = new OriginalBytesDeserializer.Key<>();
        assertThatThrownBy(() -> wrong.configure(Map.of(OriginalBytesDeserializer.KEY_DELEGATE, String.class), true))
                .isInstanceOf(KafkaException.class).hasMessageContaining(OriginalBytesDeserializer.KEY_DELEGATE)
                .hasMessageContaining("must name a Deserializer class");
        OriginalBytesDeserializer.Key<Object> missing = new OriginalBytesDeserializer.Key<>();
        assertThatThrownBy(() -> missing.configure(Map.of(OriginalBytesDeserializer.KEY_DELEGATE, "no.such.Type"),
                true)).isInstanceOf(KafkaException.class).hasMessageContaining("no.such.Type");
    }
}
