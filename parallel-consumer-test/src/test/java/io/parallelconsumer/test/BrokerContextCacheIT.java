package io.parallelconsumer.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.test.kafka.BrokerScope;
import io.parallelconsumer.test.kafka.KafkaBroker;
import io.parallelconsumer.test.kafka.WithKafka;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.core.KafkaAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Spring's test context cache and the broker: classes with a broker each of their own get an application each,
 * connected to their own broker (not one cached from a class whose broker has stopped), while classes on the run's
 * broker share one application. The classes are run one after another through JUnit's test kit.
 */
class BrokerContextCacheIT {

    /** What each class saw: its broker's address, and the application it was given. */
    private static final Map<Class<?>, Seen> SEEN = new ConcurrentHashMap<>();

    @Test
    void classesWithABrokerOfTheirOwnGetAnApplicationOfTheirOwnConnectedToIt() {
        assertThat(succeeded(OwnBrokerFirst.class, OwnBrokerSecond.class)).isEqualTo(2);

        Seen first = SEEN.get(OwnBrokerFirst.class);
        Seen second = SEEN.get(OwnBrokerSecond.class);
        assertThat(first.broker()).isNotEqualTo(second.broker());
        assertThat(second.application()).as("not the first class's cached application, whose broker has stopped")
                .isNotSameAs(first.application());
        assertThat(first.applicationBootstrapServers()).isEqualTo(first.broker());
        assertThat(second.applicationBootstrapServers()).isEqualTo(second.broker());
        assertThat(first.clientBootstrapServers()).isEqualTo(first.broker());
        assertThat(second.clientBootstrapServers()).isEqualTo(second.broker());
    }

    @Test
    void classesOnTheRunsBrokerShareTheirApplication() {
        assertThat(succeeded(RunBrokerFirst.class, RunBrokerSecond.class)).isEqualTo(2);

        Seen first = SEEN.get(RunBrokerFirst.class);
        Seen second = SEEN.get(RunBrokerSecond.class);
        assertThat(second.broker()).isEqualTo(first.broker());
        assertThat(second.application()).isSameAs(first.application());
        assertThat(second.applicationBootstrapServers()).isEqualTo(second.broker());
        assertThat(second.clientBootstrapServers()).isEqualTo(second.broker());
    }

    @Test
    void springFirstIsRefusedWithWhatToDo() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(SpringBeforeKafka.class)).execute()
                .allEvents();

        assertThat(events.succeeded().filter(event -> event.getTestDescriptor().isTest()).count()).isZero();
        assertThat(events.failed().stream())
                .singleElement()
                .satisfies(failed -> assertThat(failed.getPayload(TestExecutionResult.class)
                        .flatMap(TestExecutionResult::getThrowable))
                        .hasValueSatisfying(failure -> assertThat(rootCause(failure))
                                .hasMessageContaining("declare @WithKafka before @SpringBootTest")));
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Runs the classes one after another, in the order given, and counts their tests that passed. */
    private static long succeeded(Class<?>... testClasses) {
        long succeeded = 0;
        for (Class<?> testClass : testClasses) {
            succeeded += run(testClass).succeeded().count();
        }
        return succeeded;
    }

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
    }

    /** The address in the application's environment, and the one its Kafka clients were configured with. */
    private record Seen(String broker, ApplicationContext application, String applicationBootstrapServers,
            Object clientBootstrapServers) {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }

    /** Records what the class saw, after checking the application really reaches the broker. */
    abstract static class RecordsWhatItSees {

        @Autowired
        private ApplicationContext application;

        @Autowired
        private KafkaAdmin admin;

        @Test
        void recordsItsBrokerAndApplication(KafkaBroker broker) throws Exception {
            String applicationServers = application.getEnvironment().getProperty("spring.kafka.bootstrap-servers");
            try (AdminClient client = AdminClient.create(admin.getConfigurationProperties())) {
                assertThat(client.describeCluster().nodes().get(30, TimeUnit.SECONDS)).isNotEmpty();
            }
            Object clientServers = admin.getConfigurationProperties().get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
            SEEN.put(getClass(), new Seen(broker.bootstrapServers(), application, applicationServers,
                    clientServers instanceof List<?> list && list.size() == 1 ? list.get(0) : clientServers));
        }
    }

    @WithKafka(scope = BrokerScope.CLASS)
    @SpringBootTest(classes = Application.class)
    static class OwnBrokerFirst extends RecordsWhatItSees {
    }

    @WithKafka(scope = BrokerScope.CLASS)
    @SpringBootTest(classes = Application.class)
    static class OwnBrokerSecond extends RecordsWhatItSees {
    }

    @WithKafka
    @SpringBootTest(classes = Application.class)
    static class RunBrokerFirst extends RecordsWhatItSees {
    }

    @WithKafka
    @SpringBootTest(classes = Application.class)
    static class RunBrokerSecond extends RecordsWhatItSees {
    }

    @SpringBootTest(classes = Application.class)
    @WithKafka
    static class SpringBeforeKafka extends RecordsWhatItSees {
    }
}
