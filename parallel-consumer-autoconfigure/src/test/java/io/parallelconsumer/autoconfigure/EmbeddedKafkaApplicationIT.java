package io.parallelconsumer.autoconfigure;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The other way the README's "Testing your application" names: a {@code @SpringBootTest} with spring-kafka-test's
 * {@code @EmbeddedKafka} runs an application's parallel listeners against the in-JVM broker, with nothing else set.
 */
@SpringBootTest(classes = OrdersApplication.class, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.kafka.consumer.auto-offset-reset=earliest" })
@EmbeddedKafka(partitions = 3, topics = "orders")
@DirtiesContext // its listeners and broker stop with the test, not at the end of the JVM
class EmbeddedKafkaApplicationIT {

    private static final int ORDERS = 300;

    @Autowired
    private KafkaTemplate<String, String> template;

    @Autowired
    private OrdersApplication.Orders orders;

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
        orders.awaitInCustomerOrder(ORDERS, 10);
    }
}
