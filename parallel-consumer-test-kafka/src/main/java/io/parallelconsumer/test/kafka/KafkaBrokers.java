package io.parallelconsumer.test.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the broker the tests ask for ({@link BrokerSettings}): an external cluster, a container or an in-JVM
 * broker, and waits until it answers. When an external cluster or a container was asked for and does not come,
 * the tests are skipped, saying why ({@link TestAbortedException}, what a failed JUnit assumption throws): a
 * missing cluster is not the code's failure, and a test that cannot reach one must not pass either.
 */
public final class KafkaBrokers {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokers.class);

    private static final Map<BrokerSettings, KafkaBroker> SHARED = new HashMap<>();
    private static final Map<BrokerSettings, String> SKIPPED = new HashMap<>();

    private KafkaBrokers() {
    }

    /**
     * The broker of this test run, started on first use and stopped when the JVM ends: what every test that does not
     * ask for a broker of its own shares. Tests keep out of each other's way with unique topic and group names
     * ({@link KafkaFixtures}).
     *
     * @throws TestAbortedException when the broker asked for cannot be had
     */
    public static KafkaBroker shared() {
        return shared(BrokerSettings.fromEnvironment());
    }

    /**
     * The broker of this test run for {@code settings}: one per distinct settings, stopped when the JVM ends. A broker
     * that did not come is looked for once: every later test is skipped for the same reason without waiting again.
     */
    public static synchronized KafkaBroker shared(BrokerSettings settings) {
        String skipped = SKIPPED.get(settings);
        if (skipped != null) {
            throw new TestAbortedException(skipped);
        }
        KafkaBroker broker = SHARED.get(settings);
        if (broker == null) {
            try {
                broker = start(settings);
            }
            catch (TestAbortedException ex) {
                SKIPPED.put(settings, ex.getMessage());
                throw ex;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-test-broker-stop"));
            SHARED.put(settings, broker);
        }
        return broker;
    }

    /**
     * A broker of the caller's own, which the caller closes.
     *
     * @throws TestAbortedException when the broker asked for cannot be had
     */
    public static KafkaBroker start(BrokerSettings settings) {
        BrokerSettings.Choice choice = settings.choose(KafkaBrokers::dockerAvailable);
        if (choice.unavailable() != null) {
            throw skipped(choice.unavailable());
        }
        KafkaBroker broker = switch (choice.source()) {
            case EXTERNAL -> new ExternalBroker(settings.bootstrapServers());
            case CONTAINER -> startContainer(settings.containerImage());
            case EMBEDDED -> InJvmBroker.start();
        };
        if (choice.source() != BrokerSource.EMBEDDED) { // ours starts synchronously, and is there or fails
            awaitReachable(broker, settings.connect());
        }
        log.info("Kafka tests use the {}", broker);
        return broker;
    }

    /**
     * The Kafka container {@code testClass} declares in a static field (as with Spring Boot's
     * {@code @ServiceConnection}), started and answering; empty when it declares none. It comes before every other
     * broker: the class's application connects to it whatever the settings say.
     *
     * @throws TestAbortedException when the class declares one and it cannot be had
     */
    public static Optional<KafkaBroker> declaredContainer(Class<?> testClass, ConnectBackoff connect) {
        if (!testcontainersPresent()) {
            return Optional.empty();
        }
        Optional<DeclaredContainer> declared = DeclaredContainer.in(testClass);
        if (declared.isEmpty()) {
            return Optional.empty();
        }
        DeclaredContainer container = declared.get();
        if (!ContainerBroker.dockerAvailable()) {
            throw skipped("the " + container + " needs Docker, and Testcontainers finds no Docker environment");
        }
        try {
            container.start();
        }
        catch (RuntimeException ex) {
            throw skipped("the " + container + " did not start: " + ex);
        }
        awaitReachable(container, connect);
        log.info("Kafka tests of {} use the {}", testClass.getSimpleName(), container);
        return Optional.of(container);
    }

    private static KafkaBroker startContainer(String image) {
        try {
            return ContainerBroker.start(image);
        }
        catch (RuntimeException ex) {
            throw skipped("the Kafka container " + image + " did not start: " + ex);
        }
    }

    private static void awaitReachable(KafkaBroker broker, ConnectBackoff backoff) {
        BrokerConnectivity.Outcome outcome;
        try {
            outcome = BrokerConnectivity.await(broker.bootstrapServers(), backoff);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            broker.close();
            throw skipped("interrupted while waiting for the " + broker);
        }
        if (!outcome.reached()) {
            broker.close();
            throw skipped("the " + broker + " did not answer in " + outcome.tries() + " tries (last: "
                    + outcome.lastFailure() + "); see " + BrokerSettings.CONNECT_MAX_TRIES_PROPERTY + " and "
                    + BrokerSettings.CONNECT_INITIAL_DELAY_PROPERTY + " to wait longer");
        }
    }

    static boolean dockerAvailable() {
        if (!testcontainersPresent()) {
            log.warn("A Kafka container was asked for, but Testcontainers is not on the class path: add {} to the "
                    + "test dependencies", "org.testcontainers:testcontainers-kafka");
            return false;
        }
        return ContainerBroker.dockerAvailable();
    }

    private static boolean testcontainersPresent() {
        try {
            Class.forName("org.testcontainers.kafka.KafkaContainer", false, KafkaBrokers.class.getClassLoader());
            return true;
        }
        catch (ClassNotFoundException ex) {
            return false;
        }
    }

    private static TestAbortedException skipped(String why) {
        log.warn("Skipping the Kafka tests: {}", why);
        return new TestAbortedException("Kafka tests skipped: " + why);
    }
}
