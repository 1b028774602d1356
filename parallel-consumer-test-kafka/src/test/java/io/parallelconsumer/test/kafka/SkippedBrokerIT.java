package io.parallelconsumer.test.kafka;

import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * What the extension does when the broker asked for does not come: the class's tests are skipped (aborted), with the
 * reason, rather than failed or passed. Each case runs a test class of its own through JUnit's test kit.
 */
class SkippedBrokerIT {

    @Test
    void aNamedClusterThatDoesNotAnswerSkipsTheClass() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort(); // closed again: nothing listens there
        }
        Events containers = withProperties(Map.of("test.kafka.bootstrap-servers", "localhost:" + deadPort,
                "test.kafka.connect.initial-delay-ms", "50", "test.kafka.connect.max-tries", "2"),
                NeedsABroker.class);

        assertThat(containers.aborted().count()).as("the class is skipped").isEqualTo(1);
        assertThat(containers.failed().count()).isZero();
        assertThat(abortReason(containers)).contains("localhost:" + deadPort, "did not answer in 2 tries");
    }

    @Test
    void aContainerAskedForRunsTheClassWithDockerAndSkipsItWithout() {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();

        Events containers = withProperties(Map.of(), NeedsAContainer.class);

        if (docker) {
            assertThat(containers.aborted().count()).isZero();
            assertThat(containers.failed().count()).isZero();
        }
        else {
            assertThat(containers.aborted().count()).as("the class is skipped").isEqualTo(1);
            assertThat(abortReason(containers)).contains("no Docker");
        }
    }

    @Test
    void aContainerTheClassDeclaresIsItsBrokerWithDockerAndSkipsItWithout() {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();

        Events containers = withProperties(Map.of(), DeclaresItsContainer.class);

        if (docker) {
            assertThat(containers.aborted().count()).isZero();
            assertThat(containers.failed().count()).isZero();
        }
        else {
            assertThat(containers.aborted().count()).as("the class is skipped").isEqualTo(1);
            assertThat(abortReason(containers)).contains("Kafka container of DeclaresItsContainer.KAFKA",
                    "no Docker");
        }
    }

    private static String abortReason(Events containers) {
        return containers.aborted().stream().findFirst().orElseThrow().getPayload(
                org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow()
                .getMessage();
    }

    /** Runs {@code testClass} with the given system properties set, and restores them after. */
    private static Events withProperties(Map<String, String> properties, Class<?> testClass) {
        properties.forEach(System::setProperty);
        try {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute()
                    .containerEvents();
        }
        finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    @WithKafka(scope = BrokerScope.CLASS)
    static class NeedsABroker {

        @Test
        void wouldNeedTheBroker(KafkaBroker broker) {
            assertThat(broker.bootstrapServers()).isNotBlank();
        }
    }

    @WithKafka
    static class DeclaresItsContainer {

        static final KafkaContainer KAFKA = new KafkaContainer(BrokerSettings.DEFAULT_CONTAINER_IMAGE);

        @Test
        void usesTheDeclaredContainer(KafkaBroker broker) {
            assertThat(broker.source()).isEqualTo(BrokerSource.CONTAINER);
            assertThat(broker.bootstrapServers()).isEqualTo(KAFKA.getBootstrapServers());
        }
    }

    @WithKafka(scope = BrokerScope.CLASS, container = true)
    static class NeedsAContainer {

        @Test
        void runsOnlyWithDocker(KafkaFixtures fixtures) {
            assertThat(fixtures.createTopic("in-container", 1)).startsWith("in-container-");
        }
    }
}
