package io.parallelconsumer.autoconfigure;

import io.parallelconsumer.test.kafka.KafkaFixtures;
import io.parallelconsumer.test.kafka.WithKafka;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the README's "Testing your application" shows: {@code @WithKafka} before a {@code @SpringBootTest} gives the
 * application its broker with nothing else set, and a topic made for the class by the fixtures.
 */
@WithKafka
@SpringBootTest(classes = OrdersApplication.class,
        properties = "spring.kafka.consumer.auto-offset-reset=earliest")
@DirtiesContext // its listener stops with the class, before the fixtures delete its topic
class WithKafkaApplicationIT {

    private static final int ORDERS = 300;

    private static String topic;

    @Autowired
    private KafkaTemplate<String, String> template;

    @Autowired
    private OrdersApplication.Orders orders;

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
        orders.awaitInCustomerOrder(ORDERS, 10);
    }
}
