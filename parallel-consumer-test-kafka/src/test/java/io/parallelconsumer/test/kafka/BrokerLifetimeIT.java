package io.parallelconsumer.test.kafka;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The run's broker outlives the classes that use it; a class's own broker stops with the class. */
class BrokerLifetimeIT {

    private static final ConnectBackoff ONE_TRY = new ConnectBackoff(Duration.ZERO, 1, 1);

    private static volatile String seen;

    @Test
    void theSharedBrokerStillAnswersAfterAClassThatUsedItEnds() throws InterruptedException {
        Events tests = run(UsesTheRunsBroker.class);

        assertThat(tests.succeeded().count()).isEqualTo(1);
        assertThat(seen).isEqualTo(KafkaBrokers.shared().bootstrapServers());
        assertThat(BrokerConnectivity.await(seen, ONE_TRY).reached()).isTrue();
    }

    @Test
    void aClassesOwnBrokerIsStoppedWhenTheClassEnds() throws InterruptedException {
        Events tests = run(HasABrokerOfItsOwn.class);

        assertThat(tests.succeeded().count()).isEqualTo(1);
        assertThat(seen).isNotEqualTo(KafkaBrokers.shared().bootstrapServers());
        assertThat(BrokerConnectivity.await(seen, ONE_TRY).reached()).isFalse();
        assertThat(System.getProperty(KafkaBrokerExtension.SPRING_BOOTSTRAP_SERVERS))
                .as("the property is restored after the class").isNotEqualTo(seen);
    }

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
    }

    @WithKafka
    static class UsesTheRunsBroker {

        @Test
        void recordsItsBroker(KafkaBroker broker) {
            seen = broker.bootstrapServers();
            assertThat(System.getProperty(KafkaBrokerExtension.SPRING_BOOTSTRAP_SERVERS)).isEqualTo(seen);
        }
    }

    @WithKafka(scope = BrokerScope.CLASS)
    static class HasABrokerOfItsOwn {

        @Test
        void recordsItsBroker(KafkaBroker broker) {
            seen = broker.bootstrapServers();
            assertThat(System.getProperty(KafkaBrokerExtension.SPRING_BOOTSTRAP_SERVERS)).isEqualTo(seen);
        }
    }
}
