package io.parallelconsumer.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.test.kafka.KafkaFixtures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application's listener tested the way the README shows: {@code @ParallelConsumerTest}, records sent, then the
 * waits. Records sent before the application starts are read too (new groups start at the earliest offset).
 */
@ParallelConsumerTest(classes = ParallelConsumerTestIT.Application.class,
        properties = "parallel-consumer.listeners.orders.concurrency=16")
@DirtiesContext // the listener stops with the class, before the fixtures delete its topic
class ParallelConsumerTestIT {

    private static final int EARLY = 50;

    private static String topic;

    @Autowired
    private ParallelListeners listeners;

    @Autowired
    private Orders orders;

    @Autowired
    private Environment environment;

    @BeforeAll
    static void createTopicAndSendBeforeTheApplicationStarts(KafkaFixtures kafka) throws Exception {
        topic = kafka.createTopic("orders", 3);
        KafkaProducer<String, String> producer = kafka.producer();
        for (int i = 0; i < EARLY; i++) {
            producer.send(new ProducerRecord<>(topic, "customer-" + i % 5, "early-" + i)).get(30, TimeUnit.SECONDS);
        }
    }

    @DynamicPropertySource
    static void topic(DynamicPropertyRegistry registry) {
        registry.add("app.topic", () -> topic);
    }

    @Test
    void theListenerProcessesWhatWasSentAndGoesIdleWithEverythingCommitted(KafkaFixtures kafka) throws Exception {
        KafkaProducer<String, String> producer = kafka.producer();
        for (int i = 0; i < 100; i++) {
            producer.send(new ProducerRecord<>(topic, "customer-" + i % 5, "late-" + i));
        }
        producer.flush();

        ConsumerSnapshot processed = listeners.awaitProcessed("orders", EARLY + 100);
        ConsumerSnapshot idle = listeners.awaitIdle("orders");

        assertThat(processed.counters().succeeded()).isGreaterThanOrEqualTo(EARLY + 100);
        assertThat(orders.values).hasSize(EARLY + 100);
        assertThat(idle.inFlight()).isZero();
        Map<TopicPartition, Long> ends = kafka.endOffsets(topic);
        assertThat(kafka.committedOffsets("orders-app")).containsAllEntriesOf(ends);
        assertThat(environment.getProperty("parallel-consumer.listeners.orders.concurrency"))
                .as("the test's own properties still apply").isEqualTo("16");
    }

    @Test
    void anUnknownListenerIdFailsTheTestNamingTheListenersThereAre() {
        assertThatThrownBy(() -> listeners.awaitIdle("ordres")).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("No parallel listener 'ordres'").hasMessageContaining("orders");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    static class Orders {

        final List<String> values = new CopyOnWriteArrayList<>();

        @ParallelListener(id = "orders", topics = "${app.topic}", groupId = "orders-app")
        void onOrder(ConsumerRecord<String, String> record) {
            values.add(record.value());
        }
    }
}
