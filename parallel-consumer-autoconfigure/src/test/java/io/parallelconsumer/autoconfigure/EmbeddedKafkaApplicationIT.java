package io.parallelconsumer.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.parallelconsumer.annotation.ParallelListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The other way the README's "Testing your application" names: a {@code @SpringBootTest} with spring-kafka-test's
 * {@code @EmbeddedKafka} runs an application's parallel listeners against the in-JVM broker, with nothing else set.
 */
@SpringBootTest(classes = EmbeddedKafkaApplicationIT.Application.class, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.kafka.consumer.auto-offset-reset=earliest" })
@EmbeddedKafka(partitions = 3, topics = "orders")
@DirtiesContext // its listeners and broker stop with the test, not at the end of the JVM
class EmbeddedKafkaApplicationIT {

    private static final int ORDERS = 300;

    @Autowired
    private KafkaTemplate<String, String> template;

    @Autowired
    private Orders orders;

    /**
     * The embedded broker publishes its address as system properties and leaves them when it stops; the other tests
     * of this JVM start applications of their own, which would otherwise find that dead address.
     */
    @AfterAll
    static void forgetTheEmbeddedBrokersAddress() {
        System.clearProperty("spring.embedded.kafka.brokers");
        System.clearProperty("spring.kafka.bootstrap-servers");
    }

    @Test
    void theApplicationsListenerReceivesWhatTheTestSendsInKeyOrder() {
        for (int i = 0; i < ORDERS; i++) {
            template.send("orders", "customer-" + (i % 10), Integer.toString(i));
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

        @ParallelListener(id = "orders", topics = "orders", groupId = "orders-app", concurrency = "8")
        void onOrder(ConsumerRecord<String, String> record) {
            byCustomer.computeIfAbsent(record.key(), key -> Collections.synchronizedList(new ArrayList<>()))
                    .add(Integer.valueOf(record.value()));
        }

        int count() {
            return byCustomer.values().stream().mapToInt(List::size).sum();
        }
    }
}
