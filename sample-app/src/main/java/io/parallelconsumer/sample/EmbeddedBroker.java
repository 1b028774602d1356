package io.parallelconsumer.sample;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Starts an in-JVM KRaft broker for the demo when no cluster is configured, and points
 * {@code spring.kafka.bootstrap-servers} at it.
 */
final class EmbeddedBroker {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String PROPERTY = "spring.kafka.bootstrap-servers";

    private EmbeddedBroker() {
    }

    static void startUnlessConfigured(String[] args) {
        boolean configured = System.getProperty(PROPERTY) != null
                || System.getenv("SPRING_KAFKA_BOOTSTRAP_SERVERS") != null
                || Arrays.stream(args).anyMatch(arg -> arg.startsWith("--" + PROPERTY + "="));
        if (configured) {
            return;
        }
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-shutdown"));
        System.setProperty(PROPERTY, broker.getBrokersAsString());
        log.info("No {} set: started an embedded Kafka broker at {}", PROPERTY, broker.getBrokersAsString());
    }
}
