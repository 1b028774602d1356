package io.parallelconsumer.spring.listener;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.test.kafka.KafkaFixtures;
import io.parallelconsumer.test.kafka.WithKafka;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code @Validated} payload is checked with the application's {@link Validator} before the method runs; a payload
 * that is not valid never reaches the method and is not retried, however many attempts are allowed.
 */
@WithKafka
@SpringBootTest(classes = ListenerValidationIT.Application.class, properties = {
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "parallel-consumer.retry.max-attempts=5",
        "parallel-consumer.retry.backoff.initial=10ms" })
@DirtiesContext // its listener stops with the class, before the fixtures delete its topic
class ListenerValidationIT {

    private static String topic;

    @Autowired
    private KafkaTemplate<String, String> template;

    @Autowired
    private ParallelListenerRegistry registry;

    @Autowired
    private Application application;

    @BeforeAll
    static void createTopic(KafkaFixtures kafka) {
        topic = kafka.createTopic("validated", 1);
    }

    @DynamicPropertySource
    static void topics(DynamicPropertyRegistry registry) {
        registry.add("app.topic", () -> topic);
    }

    @Test
    void anInvalidPayloadIsGivenUpOnAfterOneAttemptWithoutReachingTheMethod() {
        for (int i = 0; i < 20; i++) {
            template.send(topic, "k", i == 7 ? "" : "order-" + i);
        }
        template.flush();

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ConsumerSnapshot.Counters counters = registry.getConsumer("validated").snapshot().counters();
            return counters.succeeded() == 19 && counters.skipped() == 1;
        });

        ConsumerSnapshot.TopicCounters counts = registry.getConsumer("validated").snapshot().counters().topics()
                .get(topic);
        assertThat(counts.failedAttempts()).as("one attempt").isEqualTo(1);
        assertThat(counts.retried()).as("no retry").isZero();
        assertThat(application.received).hasSize(19).doesNotContain("");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        final Queue<String> received = new ConcurrentLinkedQueue<>();

        @Bean
        Validator orderValidator() {
            return new Validator() {

                @Override
                public boolean supports(Class<?> type) {
                    return type == String.class;
                }

                @Override
                public void validate(Object target, Errors errors) {
                    if (((String) target).isEmpty()) {
                        errors.reject("empty", "an order must not be empty");
                    }
                }
            };
        }

        @ParallelListener(id = "validated", topics = "${app.topic}", groupId = "validated-app")
        void onOrder(@Validated @Payload String order) {
            received.add(order);
        }
    }
}
