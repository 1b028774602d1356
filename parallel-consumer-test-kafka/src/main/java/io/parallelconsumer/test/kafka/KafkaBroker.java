package io.parallelconsumer.test.kafka;

/** A Kafka broker for tests, wherever it runs. Closing it stops it, if the tests started it. */
public interface KafkaBroker extends AutoCloseable {

    /** What clients connect to, for {@code bootstrap.servers} and {@code spring.kafka.bootstrap-servers}. */
    String bootstrapServers();

    /** Where this broker comes from. */
    BrokerSource source();

    /** Stops the broker if the tests started it; an external cluster is left alone. */
    @Override
    void close();
}
