package io.parallelconsumer.test.kafka;

import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * What the tests ask of their broker, read from system properties or, failing those, environment variables (a
 * property {@code test.kafka.container} is the variable {@code TEST_KAFKA_CONTAINER}).
 *
 * @param bootstrapServers an external cluster to use, or {@code null}
 * @param container whether a Testcontainers container is wanted (when no external cluster is named)
 * @param containerImage the Kafka image of the container
 * @param connect how long to wait for an external or container broker
 */
public record BrokerSettings(String bootstrapServers, boolean container, String containerImage,
        ConnectBackoff connect) {

    /** Names an external cluster to test against; variable {@code TEST_KAFKA_BOOTSTRAP_SERVERS}. */
    public static final String BOOTSTRAP_SERVERS_PROPERTY = "test.kafka.bootstrap-servers";

    /** {@code true} asks for a Testcontainers Kafka container; variable {@code TEST_KAFKA_CONTAINER}. */
    public static final String CONTAINER_PROPERTY = "test.kafka.container";

    /** The container's image; variable {@code TEST_KAFKA_CONTAINER_IMAGE}. */
    public static final String CONTAINER_IMAGE_PROPERTY = "test.kafka.container-image";

    /**
     * The delay before the second connection try, in milliseconds; variable
     * {@code TEST_KAFKA_CONNECT_INITIAL_DELAY_MS}.
     */
    public static final String CONNECT_INITIAL_DELAY_PROPERTY = "test.kafka.connect.initial-delay-ms";

    /** How much each delay grows; variable {@code TEST_KAFKA_CONNECT_MULTIPLIER}. */
    public static final String CONNECT_MULTIPLIER_PROPERTY = "test.kafka.connect.multiplier";

    /** How many connection tries in all; variable {@code TEST_KAFKA_CONNECT_MAX_TRIES}. */
    public static final String CONNECT_MAX_TRIES_PROPERTY = "test.kafka.connect.max-tries";

    /** The image used unless {@value #CONTAINER_IMAGE_PROPERTY} says otherwise. */
    public static final String DEFAULT_CONTAINER_IMAGE = "apache/kafka:4.1.1";

    /** The settings of this JVM: its system properties, then its environment. */
    public static BrokerSettings fromEnvironment() {
        return from(System::getProperty, System::getenv);
    }

    /**
     * @param systemProperties looks a property up by name, {@code null} when unset
     * @param environment looks an environment variable up by name, {@code null} when unset
     */
    public static BrokerSettings from(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
        Lookup lookup = new Lookup(systemProperties, environment);
        ConnectBackoff defaults = ConnectBackoff.DEFAULT;
        String delay = lookup.get(CONNECT_INITIAL_DELAY_PROPERTY);
        String multiplier = lookup.get(CONNECT_MULTIPLIER_PROPERTY);
        String tries = lookup.get(CONNECT_MAX_TRIES_PROPERTY);
        ConnectBackoff connect;
        try {
            connect = new ConnectBackoff(
                    delay == null ? defaults.initialDelay() : Duration.ofMillis(Long.parseLong(delay.trim())),
                    multiplier == null ? defaults.multiplier() : Double.parseDouble(multiplier.trim()),
                    tries == null ? defaults.maxTries() : Integer.parseInt(tries.trim()));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("Bad test broker connection setting (" + CONNECT_INITIAL_DELAY_PROPERTY
                    + "=" + delay + ", " + CONNECT_MULTIPLIER_PROPERTY + "=" + multiplier + ", "
                    + CONNECT_MAX_TRIES_PROPERTY + "=" + tries + "): " + ex.getMessage(), ex);
        }
        String container = lookup.get(CONTAINER_PROPERTY);
        if (container != null && !container.isBlank() && !container.trim().equalsIgnoreCase("true")
                && !container.trim().equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(CONTAINER_PROPERTY + " must be true or false, was '" + container + "'");
        }
        String image = lookup.get(CONTAINER_IMAGE_PROPERTY);
        return new BrokerSettings(blankToNull(lookup.get(BOOTSTRAP_SERVERS_PROPERTY)),
                container != null && container.trim().equalsIgnoreCase("true"),
                image == null || image.isBlank() ? DEFAULT_CONTAINER_IMAGE : image.trim(), connect);
    }

    /** The same settings, asking for a container (as {@code @WithKafka(container = true)} does). */
    public BrokerSettings withContainer() {
        return new BrokerSettings(bootstrapServers, true, containerImage, connect);
    }

    /**
     * Which broker these settings lead to: an external cluster when one is named; a container when one is asked for,
     * if Docker is there; otherwise the in-JVM broker.
     *
     * @param dockerAvailable whether Testcontainers finds a Docker environment; asked only when a container is wanted
     */
    public Choice choose(BooleanSupplier dockerAvailable) {
        if (bootstrapServers != null) {
            return new Choice(BrokerSource.EXTERNAL, null);
        }
        if (container) {
            return dockerAvailable.getAsBoolean() ? new Choice(BrokerSource.CONTAINER, null)
                    : new Choice(BrokerSource.CONTAINER, "a Kafka container was asked for (" + CONTAINER_PROPERTY
                            + "=true) but Testcontainers finds no Docker environment");
        }
        return new Choice(BrokerSource.EMBEDDED, null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * The broker chosen, and why it cannot be had, if it cannot.
     *
     * @param source where the broker comes from
     * @param unavailable why the tests must be skipped; {@code null} when the broker can be had
     */
    public record Choice(BrokerSource source, String unavailable) {
    }

    private record Lookup(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {

        String get(String property) {
            String value = systemProperties.apply(property);
            return value != null ? value : environment.apply(variable(property));
        }

        static String variable(String property) {
            return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }
}
