package io.parallelconsumer.autoconfigure;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.deadletter.DeadLetterHeaders;
import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import io.parallelconsumer.test.kafka.KafkaFixtures;
import io.parallelconsumer.test.kafka.WithKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code parallel-consumer.listeners.<id>.dead-letter.enabled}: a listener's failing records land in
 * {@code <topic>-dlt} with their bytes and Spring Kafka's headers and are committed; a listener whose dead-letter
 * topic does not exist stops at its first failure without committing it, rather than have the broker create it.
 */
@WithKafka
@SpringBootTest(classes = DeadLetterListenerIT.Application.class, properties = {
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "parallel-consumer.listeners.orders.dead-letter.enabled=true",
        "parallel-consumer.listeners.orders.retry.max-attempts=2",
        "parallel-consumer.listeners.orders.retry.backoff.initial=10ms",
        "parallel-consumer.listeners.payments.dead-letter.enabled=true",
        "parallel-consumer.listeners.payments.retry.max-attempts=1" })
@DirtiesContext // its listeners stop with the class, before the fixtures delete their topics
class DeadLetterListenerIT {

    private static String orders;
    private static String payments;

    @Autowired
    private KafkaTemplate<String, String> template;

    @Autowired
    private ParallelListenerRegistry registry;

    @Autowired
    private MeterRegistry meters;

    @BeforeAll
    static void createTopics(KafkaFixtures kafka) {
        orders = kafka.createTopic("orders", 2);
        payments = kafka.createTopic("payments", 1); // its dead-letter topic is not created
        kafka.createTopicNamed(orders + "-dlt", 2);
    }

    @DynamicPropertySource
    static void topics(DynamicPropertyRegistry registry) {
        registry.add("app.orders", () -> orders);
        registry.add("app.payments", () -> payments);
    }

    @Test
    void failingRecordsLandInTheDeadLetterTopicAndAreCommitted(KafkaFixtures kafka) {
        for (int i = 0; i < 40; i++) {
            template.send(orders, "customer-" + i % 4, (i % 10 == 7 ? "bad-" : "ok-") + i);
        }
        template.flush();

        List<ConsumerRecord<byte[], byte[]>> letters = kafka.readRecords(orders + "-dlt", 4);
        assertThat(letters).extracting(letter -> new String(letter.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("bad-7", "bad-17", "bad-27", "bad-37");
        assertThat(letters).allSatisfy(letter -> {
            assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value(),
                    StandardCharsets.UTF_8)).isEqualTo(orders);
            assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP).value(),
                    StandardCharsets.UTF_8)).isEqualTo("orders-app");
            assertThat(ByteBuffer.wrap(letter.headers().lastHeader(DeadLetterHeaders.ATTEMPTS).value()).getInt())
                    .isEqualTo(2);
            assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.EXCEPTION_MESSAGE).value(),
                    StandardCharsets.UTF_8)).startsWith("refused bad-");
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(registry.getConsumer("orders").snapshot().counters().deadLettered()).isEqualTo(4);
            assertThat(kafka.committedOffsets("orders-app")).as("everything committed, the dead letters too")
                    .isEqualTo(kafka.endOffsets(orders));
        });
        assertThat(meters.get("parallel.consumer.records").tags("listener", "orders", "topic", orders, "result",
                "dead_lettered").functionCounter().count()).isEqualTo(4);
    }

    @Test
    void aMissingDeadLetterTopicStopsTheListenerWithoutCommittingTheRecord(KafkaFixtures kafka) {
        template.send(payments, "p", "ok-0");
        template.send(payments, "p", "bad-1");
        template.send(payments, "p", "ok-2");
        template.flush();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> registry.getConsumer("payments").state() == ConsumerState.FAILED);

        assertThat(registry.getConsumer("payments").snapshot().failure())
                .as("the failure's own message, which the health and the endpoint show, says why")
                .hasMessageContaining("dead-letter topic " + payments + "-dlt of record " + payments
                        + "-0@1 does not exist");
        assertThat(kafka.committedOffsets("payments-app").getOrDefault(new TopicPartition(payments, 0), 0L))
                .isLessThanOrEqualTo(1);
        assertThat(kafka.listTopics()).doesNotContain(payments + "-dlt");
        assertThat(meters.get("parallel.consumer.dead.letter.send.failures").tag("listener", "payments").counter()
                .count()).isEqualTo(1);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @ParallelListener(id = "orders", topics = "${app.orders}", groupId = "orders-app", concurrency = "4")
        void onOrder(ConsumerRecord<String, String> record) {
            refuseTheBad(record.value());
        }

        @ParallelListener(id = "payments", topics = "${app.payments}", groupId = "payments-app")
        void onPayment(ConsumerRecord<String, String> record) {
            refuseTheBad(record.value());
        }

        private static void refuseTheBad(String value) {
            if (value.startsWith("bad-")) {
                throw new IllegalStateException("refused " + value);
            }
        }
    }
}
