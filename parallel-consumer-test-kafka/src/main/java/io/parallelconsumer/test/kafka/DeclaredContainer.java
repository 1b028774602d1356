package io.parallelconsumer.test.kafka;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.ConfluentKafkaContainer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A Kafka container that the test class declares itself in a static field - the way Spring Boot's
 * {@code @ServiceConnection} is used - and that its tests therefore use for everything: the application through
 * Boot's connection details, the fixtures through this. Started here if it is not running yet; stopped by its owner
 * (Testcontainers' {@code @Container}, or Testcontainers when the JVM ends), never here. Loaded only when
 * Testcontainers is on the class path.
 */
final class DeclaredContainer implements KafkaBroker {

    private final GenericContainer<?> container;
    private final String field;

    private DeclaredContainer(GenericContainer<?> container, String field) {
        this.container = container;
        this.field = field;
    }

    /** The class's (or a superclass's) static Kafka container field, if it has one. */
    static Optional<DeclaredContainer> in(Class<?> testClass) {
        for (Class<?> type = testClass; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && GenericContainer.class.isAssignableFrom(field.getType())
                        && isKafka(field.getType())) {
                    return Optional.of(new DeclaredContainer(read(field), type.getSimpleName() + "." + field.getName()));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isKafka(Class<?> type) {
        return KafkaContainer.class.isAssignableFrom(type) || ConfluentKafkaContainer.class.isAssignableFrom(type)
                || org.testcontainers.containers.KafkaContainer.class.isAssignableFrom(type);
    }

    private static GenericContainer<?> read(Field field) {
        try {
            field.setAccessible(true);
            GenericContainer<?> container = (GenericContainer<?>) field.get(null);
            if (container == null) {
                throw new IllegalStateException("The Kafka container field " + field + " is null; initialise it "
                        + "where it is declared");
            }
            return container;
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException("Cannot read the Kafka container field " + field, ex);
        }
    }

    /** Starts the container unless it runs already. */
    void start() {
        if (!container.isRunning()) {
            container.start();
        }
    }

    @Override
    public String bootstrapServers() {
        if (container instanceof KafkaContainer kafka) {
            return kafka.getBootstrapServers();
        }
        if (container instanceof ConfluentKafkaContainer confluent) {
            return confluent.getBootstrapServers();
        }
        return ((org.testcontainers.containers.KafkaContainer) container).getBootstrapServers();
    }

    @Override
    public BrokerSource source() {
        return BrokerSource.CONTAINER;
    }

    /** Its owner stops it. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "Kafka container of " + field;
    }
}
