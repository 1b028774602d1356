package io.parallelconsumer.test.kafka;

import java.util.Locale;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A Kafka container (Testcontainers). The only class that names Testcontainers: it is loaded only when a container
 * is asked for, so that Testcontainers stays an optional dependency.
 */
final class ContainerBroker implements KafkaBroker {

    private final KafkaContainer container;

    private ContainerBroker(KafkaContainer container) {
        this.container = container;
    }

    /** Whether Testcontainers finds a Docker environment; only called once Testcontainers is known to be there. */
    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static ContainerBroker start(String image) {
        KafkaContainer container = new KafkaContainer(image);
        InJvmBroker.TEST_FRIENDLY.forEach((key, value) ->
                container.withEnv("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        container.start();
        return new ContainerBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public BrokerSource source() {
        return BrokerSource.CONTAINER;
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return "Kafka container " + container.getDockerImageName() + " at " + bootstrapServers();
    }
}
