package io.parallelconsumer.test.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An external cluster - a broker process the test starts, killed and restarted - named the way a CI job names its
 * cluster; and one that does not answer, which skips the tests rather than failing them.
 */
class ExternalBrokerIT {

    private static KafkaBrokerProcess process;

    @BeforeAll
    static void startBrokerProcess() throws Exception {
        process = KafkaBrokerProcess.start("512m");
    }

    @AfterAll
    static void stopBrokerProcess() {
        if (process != null) {
            process.close();
        }
    }

    private static BrokerSettings external(Map<String, String> properties) {
        return BrokerSettings.from(properties::get, variable -> null);
    }

    @Test
    void aNamedClusterIsUsedAsItIsAndLeftRunning() throws Exception {
        KafkaBroker broker = KafkaBrokers.start(external(Map.of("test.kafka.bootstrap-servers",
                process.bootstrapServers())));

        assertThat(broker.source()).isEqualTo(BrokerSource.EXTERNAL);
        assertThat(broker.bootstrapServers()).isEqualTo(process.bootstrapServers());
        try (KafkaFixtures fixtures = new KafkaFixtures(broker)) {
            String topic = fixtures.createTopic("external", 2);
            fixtures.producer().send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
            assertThat(fixtures.endOffsets(topic).values()).containsExactlyInAnyOrder(0L, 1L);
        }
        broker.close();
        assertThat(process.isAlive()).as("the tests did not start it, so they do not stop it").isTrue();
    }

    @Test
    void aNamedClusterThatDoesNotAnswerSkipsTheTestsSayingWhyAndHowToWaitLonger() throws Exception {
        process.kill();
        try {
            BrokerSettings settings = external(Map.of("test.kafka.bootstrap-servers", process.bootstrapServers(),
                    "test.kafka.connect.initial-delay-ms", "100", "test.kafka.connect.max-tries", "3"));

            assertThatThrownBy(() -> KafkaBrokers.start(settings)).isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("Kafka tests skipped")
                    .hasMessageContaining("external cluster at " + process.bootstrapServers())
                    .hasMessageContaining("did not answer in 3 tries")
                    .hasMessageContaining("test.kafka.connect.max-tries");
        }
        finally {
            process.restart();
        }
        BrokerConnectivity.Outcome outcome = BrokerConnectivity.await(process.bootstrapServers(),
                new ConnectBackoff(Duration.ofMillis(500), 1.5, 10));
        assertThat(outcome.reached()).as("the restarted broker answers again: %s", outcome).isTrue();
    }
}
