package io.parallelconsumer.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.parallelconsumer.annotation.ParallelListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application of the tests that show how users test theirs: one parallel listener, on {@code app.topic}
 * ({@code orders} unless set), that keeps the orders it receives per customer.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class OrdersApplication {

    @Bean
    Orders orders() {
        return new Orders();
    }

    static class Orders {

        private final Map<String, List<Integer>> byCustomer = new ConcurrentHashMap<>();

        @ParallelListener(id = "orders", topics = "${app.topic:orders}", groupId = "orders-app", concurrency = "8")
        void onOrder(ConsumerRecord<String, String> record) {
            byCustomer.computeIfAbsent(record.key(), key -> Collections.synchronizedList(new ArrayList<>()))
                    .add(Integer.valueOf(record.value()));
        }

        /** Waits for {@code count} orders, then checks each customer's arrived in the order they were sent. */
        void awaitInCustomerOrder(int count, int customers) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count() == count);
            byCustomer.forEach((customer, sequence) -> assertThat(List.copyOf(sequence)).as(customer).isSorted());
            assertThat(byCustomer).hasSize(customers);
        }

        private int count() {
            return byCustomer.values().stream().mapToInt(List::size).sum();
        }
    }
}
