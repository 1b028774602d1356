package io.parallelconsumer.spring.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.autoconfigure.BrokerContexts;
import io.parallelconsumer.spring.health.ListenerHealthIndicator;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a broker: a failure of the listener adapter itself stops the listener before the record instead of skipping
 * and committing it, and the Kafka client id keeps the application's own.
 */
class ListenerAdapterFailureIT {

    @Test
    void aValueTheMethodCannotTakeStopsTheListenerWithoutCommittingIt() throws Exception {
        String topic = TestBroker.createTopic("spring-adapter-failure", 1);
        try (KafkaProducer<String, String> producer = TestBroker.producer()) {
            for (String value : List.of("a", "b", "42", "c", "d")) {
                producer.send(new ProducerRecord<>(topic, "k", value));
            }
        }
        StringListener listener = new StringListener();
        // The deserializer declares Object, so startup cannot know; it hands the method an Integer for "42".
        BrokerContexts.runner(topic).withBean(StringListener.class, () -> listener)
                .withPropertyValues("spring.kafka.consumer.value-deserializer=" + NumbersAsIntegers.class.getName(),
                        "parallel-consumer.retry.max-attempts=3", "parallel-consumer.retry.backoff.initial=10ms")
                .run(context -> {
                    ParallelConsumer<Object, Object> consumer = context.getBean(ParallelListenerRegistry.class)
                            .getConsumer("strings");
                    assertThat(consumer.termination().toCompletableFuture().get(1, TimeUnit.MINUTES))
                            .isEqualTo(ConsumerState.FAILED);
                    assertThat(listener.values).containsExactly("a", "b");
                    assertThat(consumer.snapshot().counters().skipped()).isZero();
                    assertThat(consumer.snapshot().counters().failedAttempts()).as("not retried").isEqualTo(1);
                    TopicPartition tp = new TopicPartition(topic, 0);
                    assertThat(TestBroker.committedOffsets("strings", List.of(tp))).containsEntry(tp, 2L);

                    Health health = new ListenerHealthIndicator(() -> consumer, Duration.ofMinutes(5), Status.DOWN,
                            Duration.ofSeconds(30)).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails().get("error").toString())
                            .contains("cannot take record " + topic + "-0@2")
                            .contains("java.lang.Integer");
                });
    }

    @Test
    void theKafkaClientIdIsTheApplicationsClientIdFollowedByTheListenerId() {
        String topic = TestBroker.createTopic("spring-client-id", 1);
        BrokerContexts.runner(topic).withBean(StringListener.class, StringListener::new)
                .withPropertyValues("spring.kafka.consumer.client-id=payments-app").run(context -> {
                    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                            TestBroker.bootstrapServers()))) {
                        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("strings"))
                                    .describedGroups().get("strings").get();
                            assertThat(group.members()).extracting(MemberDescription::clientId)
                                    .singleElement().asString().startsWith("payments-app-strings");
                        });
                    }
                });
    }

    static class StringListener {
        final List<String> values = new CopyOnWriteArrayList<>();

        @ParallelListener(id = "strings", topics = "${app.topic}")
        void on(String value) {
            values.add(value);
        }
    }

    /** Declares Object; gives whole numbers as Integer, anything else as String. */
    public static class NumbersAsIntegers implements Deserializer<Object> {
        private final StringDeserializer strings = new StringDeserializer();

        @Override
        public Object deserialize(String topic, byte[] data) {
            String text = strings.deserialize(topic, data);
            return text != null && text.matches("\\d+") ? Integer.valueOf(text) : text;
        }
    }
}
