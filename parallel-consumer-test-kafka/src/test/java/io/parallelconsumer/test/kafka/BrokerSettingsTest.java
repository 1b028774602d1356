package io.parallelconsumer.test.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which broker the settings lead to, and where they are read from. */
class BrokerSettingsTest {

    private static BrokerSettings settings(Map<String, String> properties, Map<String, String> environment) {
        return BrokerSettings.from(properties::get, environment::get);
    }

    @Test
    void withNothingSetTheTestsGetTheInJvmBrokerWithoutAskingForDocker() {
        AtomicInteger dockerAsked = new AtomicInteger();
        BrokerSettings settings = settings(Map.of(), Map.of());

        BrokerSettings.Choice choice = settings.choose(() -> dockerAsked.incrementAndGet() > 0);

        assertThat(choice).isEqualTo(new BrokerSettings.Choice(BrokerSource.EMBEDDED, null));
        assertThat(dockerAsked).hasValue(0);
        assertThat(settings.connect()).isEqualTo(ConnectBackoff.DEFAULT);
        assertThat(settings.containerImage()).isEqualTo(BrokerSettings.DEFAULT_CONTAINER_IMAGE);
    }

    @Test
    void anExternalClusterComesFirstEvenWhenAContainerIsAskedFor() {
        BrokerSettings settings = settings(Map.of(), Map.of("TEST_KAFKA_BOOTSTRAP_SERVERS", " kafka-1:9092 ",
                "TEST_KAFKA_CONTAINER", "true"));

        assertThat(settings.choose(() -> true).source()).isEqualTo(BrokerSource.EXTERNAL);
        assertThat(settings.bootstrapServers()).isEqualTo("kafka-1:9092");
    }

    @Test
    void aContainerAskedForIsUsedWithDockerAndSkippedWithoutIt() {
        BrokerSettings settings = settings(Map.of("test.kafka.container", "TRUE"), Map.of());

        assertThat(settings.choose(() -> true)).isEqualTo(new BrokerSettings.Choice(BrokerSource.CONTAINER, null));
        BrokerSettings.Choice withoutDocker = settings.choose(() -> false);
        assertThat(withoutDocker.source()).isEqualTo(BrokerSource.CONTAINER);
        assertThat(withoutDocker.unavailable()).contains("test.kafka.container=true", "no Docker");
    }

    @Test
    void theAnnotationCanAskForAContainerWhateverTheEnvironmentSays() {
        BrokerSettings settings = settings(Map.of(), Map.of()).withContainer();

        assertThat(settings.choose(() -> true).source()).isEqualTo(BrokerSource.CONTAINER);
    }

    @Test
    void aSystemPropertyWinsOverItsEnvironmentVariable() {
        BrokerSettings settings = settings(
                Map.of("test.kafka.bootstrap-servers", "from-property:9092", "test.kafka.connect.max-tries", "2"),
                Map.of("TEST_KAFKA_BOOTSTRAP_SERVERS", "from-environment:9092", "TEST_KAFKA_CONNECT_MAX_TRIES", "9",
                        "TEST_KAFKA_CONNECT_INITIAL_DELAY_MS", "250", "TEST_KAFKA_CONNECT_MULTIPLIER", "2",
                        "TEST_KAFKA_CONTAINER_IMAGE", "apache/kafka-native:4.1.1"));

        assertThat(settings.bootstrapServers()).isEqualTo("from-property:9092");
        assertThat(settings.connect()).isEqualTo(new ConnectBackoff(Duration.ofMillis(250), 2, 2));
        assertThat(settings.containerImage()).isEqualTo("apache/kafka-native:4.1.1");
    }

    @Test
    void aBlankBootstrapServersNamesNoCluster() {
        assertThat(settings(Map.of("test.kafka.bootstrap-servers", "  "), Map.of()).choose(() -> false).source())
                .isEqualTo(BrokerSource.EMBEDDED);
    }

    @Test
    void badValuesAreRejectedNamingTheSetting() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> settings(Map.of("test.kafka.connect.max-tries", "0"), Map.of()))
                .withMessageContaining("test.kafka.connect.max-tries=0").withMessageContaining("at least 1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> settings(Map.of("test.kafka.connect.initial-delay-ms", "soon"), Map.of()))
                .withMessageContaining("test.kafka.connect.initial-delay-ms=soon");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> settings(Map.of(), Map.of("TEST_KAFKA_CONTAINER", "yes")))
                .withMessageContaining("test.kafka.container must be true or false");
    }
}
