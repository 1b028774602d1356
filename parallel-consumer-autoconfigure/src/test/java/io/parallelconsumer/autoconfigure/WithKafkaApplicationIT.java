package io.parallelconsumer.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.test.kafka.KafkaFixtures;
import io.parallelconsumer.test.kafka.WithKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the README's "Testing your application" shows: {@code @WithKafka} before a {@code @SpringBootTest} gives the
 * application its broker with nothing else set, and a topic made for the class by the fixtures.
 */
@WithKafka
@SpringBootTest(classes = WithKafkaApplicationIT.Application.class,
        properties = "spring.kafka.consumer.auto-offset-reset=earliest")
@DirtiesContext // its listener stops with the class, before the fixtures delete its topic
class WithKafkaApplicationIT {

    private static final int ORDERS = 300;

    private static String topic;

    @Autowired
    private KafkaTemplate<String, String> template;

    @Autowired
    private Orders orders;

    @BeforeAll
    static void createTopic(KafkaFixtures fixtures) {
        topic = fixtures.createTopic("orders", 3);
    }

    @DynamicPropertySource
    static void topic(DynamicPropertyRegistry registry) {
        registry.add("app.topic", () -> topic);
    }

    @Test
    void theApplicationsListenerReceivesWhatTheTestSendsInKeyOrder() {
        for (int i = 0; i < ORDERS; i++) {
            template.send(topic, "customer-" + (i % 10), Integer.toString(i));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> orders.count() == ORDERS);
        orders.byCustomer.forEach((customer, sequence) -> assertThat(List.copyOf(sequence)).as(customer).isSorted());
        assertThat(orders.byCustomer).hasSize(10);
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

        final Map<String, List<Integer>> byCustomer = new ConcurrentHashMap<>();

        @ParallelListener(id = "orders", topics = "${app.topic}", groupId = "orders-app", concurrency = "8")
        void onOrder(ConsumerRecord<String, String> record) {
            byCustomer.computeIfAbsent(record.key(), key -> Collections.synchronizedList(new ArrayList<>()))
                    .add(Integer.valueOf(record.value()));
        }

        int count() {
            return byCustomer.values().stream().mapToInt(List::size).sum();
        }
    }
}
