package io.parallelconsumer.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.test.kafka.KafkaFixtures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Testing your listeners" example as written there (its test method is the README's line for line, but
 * for the topic's name and the last assertion), with the application it assumes: a listener {@code orders} on
 * {@code app.topic}.
 */
@ParallelConsumerTest(properties = "app.topic=readme-orders")
class ReadmeExampleIT {

    @Autowired
    ParallelListeners listeners;

    @Autowired
    Orders orders;

    @Test
    void everyOrderIsProcessedAndCommitted(KafkaFixtures kafka) {
        KafkaProducer<String, String> producer = kafka.producer();
        for (int i = 0; i < 100; i++) {
            producer.send(new ProducerRecord<>("readme-orders", "customer-" + i % 10, "order-" + i));
        }
        listeners.awaitProcessed("orders", 100);
        listeners.awaitIdle("orders"); // nothing in flight, committed up to the log end

        assertThat(orders.received).hasSize(100);
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

        final List<String> received = new CopyOnWriteArrayList<>();

        @ParallelListener(id = "orders", topics = "${app.topic}")
        void onOrder(ConsumerRecord<String, String> record) {
            received.add(record.value());
        }
    }
}
