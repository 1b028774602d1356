package io.parallelconsumer.spring.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.autoconfigure.BrokerContexts;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.KafkaNull;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** @Header and Message parameters, and starting, pausing, resuming and stopping a listener by id. */
class ListenerHeadersAndControlIT {

    @Test
    void headerParametersReceiveKeyTopicPartitionOffsetTimestampAndRecordHeaders() {
        String topic = TestBroker.createTopic("spring-headers", 1);
        try (KafkaProducer<String, String> producer = TestBroker.producer()) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, 1234L, "the-key", "the-value");
            record.headers().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
            producer.send(record);
        }
        HeaderListener listener = new HeaderListener();
        BrokerContexts.runner(topic).withBean(HeaderListener.class, () -> listener).run(context -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> !listener.seen.isEmpty());
            assertThat(listener.seen).containsExactly(
                    "the-value|the-key|" + topic + "|0|0|1234|t-1|" + "t-1");
        });
    }

    @Test
    void aMessageParameterReceivesThePayloadWithSpringKafkasHeaders() {
        String topic = TestBroker.createTopic("spring-message", 1);
        try (KafkaProducer<String, String> producer = TestBroker.producer()) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, 1234L, "the-key", "the-value");
            record.headers().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
            producer.send(record);
            producer.send(new ProducerRecord<>(topic, "tombstone", null));
        }
        MessageListener listener = new MessageListener();
        BrokerContexts.runner(topic).withBean(MessageListener.class, () -> listener).run(context -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.seen.size() == 2);
            // Two keys: they run side by side, in either order.
            Message<?> message = byKey(listener.seen, "the-key");
            assertThat(message.getPayload()).isEqualTo("the-value");
            assertThat(message.getHeaders()).containsEntry(KafkaHeaders.RECEIVED_KEY, "the-key")
                    .containsEntry(KafkaHeaders.RECEIVED_TOPIC, topic)
                    .containsEntry(KafkaHeaders.RECEIVED_PARTITION, 0)
                    .containsEntry(KafkaHeaders.OFFSET, 0L)
                    .containsEntry(KafkaHeaders.RECEIVED_TIMESTAMP, 1234L)
                    .containsKey("trace");
            Object tombstone = byKey(listener.seen, "tombstone").getPayload();
            assertThat(tombstone).as("a tombstone, as Spring Kafka gives it").isEqualTo(KafkaNull.INSTANCE);
        });
    }

    @Test
    void aListenerNotStartedAutomaticallyIsControlledById() {
        String topic = TestBroker.createTopic("spring-control", 2);
        TestBroker.produceSequenced(topic, 100, 10);
        ControlledListener listener = new ControlledListener();
        BrokerContexts.runner(topic).withBean(ControlledListener.class, () -> listener).run(context -> {
            ParallelListenerRegistry registry = context.getBean(ParallelListenerRegistry.class);
            assertThat(registry.getConsumer("controlled").state()).isEqualTo(ConsumerState.CREATED);

            registry.pause("controlled");
            registry.start("controlled");
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(listener.values::isEmpty);
            registry.resume("controlled");
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.values.size() == 100);

            registry.stop("controlled");
            assertThat(registry.getConsumer("controlled").state()).isEqualTo(ConsumerState.STOPPED);
            TestBroker.produceSequenced(topic, 50, 10);
            registry.start("controlled");
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.values.size() == 150);
            assertThat(listener.values).doesNotHaveDuplicates();
        });
    }

    static class HeaderListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @ParallelListener(id = "headers", topics = "${app.topic}")
        void on(String value, @Header(KafkaHeaders.RECEIVED_KEY) String key,
                @Header(KafkaHeaders.RECEIVED_TOPIC) String topic,
                @Header(KafkaHeaders.RECEIVED_PARTITION) int partition, @Header(KafkaHeaders.OFFSET) long offset,
                @Header(KafkaHeaders.RECEIVED_TIMESTAMP) long timestamp, @Header("trace") String trace,
                @Header(KafkaHeaders.NATIVE_HEADERS) Headers headers) {
            seen.add(String.join("|", value, key, topic, String.valueOf(partition), String.valueOf(offset),
                    String.valueOf(timestamp), trace,
                    new String(headers.lastHeader("trace").value(), StandardCharsets.UTF_8)));
        }
    }

    private static Message<?> byKey(List<Message<?>> messages, String key) {
        return messages.stream().filter(m -> key.equals(m.getHeaders().get(KafkaHeaders.RECEIVED_KEY))).findFirst()
                .orElseThrow();
    }

    static class MessageListener {
        final List<Message<?>> seen = new CopyOnWriteArrayList<>();

        @ParallelListener(id = "messages", topics = "${app.topic}")
        void on(Message<String> message) {
            seen.add(message);
        }
    }

    static class ControlledListener {
        final List<String> values = new CopyOnWriteArrayList<>();

        @ParallelListener(id = "controlled", topics = "${app.topic}", groupId = "controlled-app",
                autoStartup = "false")
        void on(String value, @Header(KafkaHeaders.RECEIVED_PARTITION) int partition,
                @Header(KafkaHeaders.OFFSET) long offset) {
            values.add(partition + "@" + offset); // unique per record, so a redelivery would show as a duplicate
        }
    }
}
