package io.parallelconsumer.test.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** A single KRaft broker in this JVM (spring-kafka-test's), tuned so that group changes in tests do not crawl. */
final class InJvmBroker implements KafkaBroker {

    /**
     * No initial rebalance delay, and quicker heartbeats and session timeouts for the consumer group protocol
     * (KIP-848), so that a test's rebalance takes a second, not ten.
     */
    static final Map<String, String> TEST_FRIENDLY = Map.of(
            "group.initial.rebalance.delay.ms", "0",
            "group.consumer.min.heartbeat.interval.ms", "500",
            "group.consumer.heartbeat.interval.ms", "500",
            "group.consumer.min.session.timeout.ms", "3000",
            "group.consumer.session.timeout.ms", "6000");

    private final EmbeddedKafkaKraftBroker broker;

    private InJvmBroker(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    /**
     * The system properties spring-kafka-test's broker sets to its address when it starts. Restored at once: where
     * the address goes is the extension's business ({@link KafkaBrokerExtension}), and a broker that outlives a
     * test class must not leave it behind for the next.
     */
    private static final List<String> ADDRESS_PROPERTIES = List.of("spring.kafka.bootstrap-servers",
            "spring.embedded.kafka.brokers");

    static InJvmBroker start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(TEST_FRIENDLY);
        Map<String, String> before = new HashMap<>();
        ADDRESS_PROPERTIES.forEach(name -> before.put(name, System.getProperty(name)));
        try {
            broker.afterPropertiesSet();
        }
        finally {
            before.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                }
                else {
                    System.setProperty(name, value);
                }
            });
        }
        return new InJvmBroker(broker);
    }

    @Override
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    @Override
    public BrokerSource source() {
        return BrokerSource.EMBEDDED;
    }

    @Override
    public void close() {
        broker.destroy();
    }

    @Override
    public String toString() {
        return "in-JVM broker at " + bootstrapServers();
    }
}
