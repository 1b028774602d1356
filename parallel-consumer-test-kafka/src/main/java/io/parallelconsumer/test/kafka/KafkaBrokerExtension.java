package io.parallelconsumer.test.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 side of {@link WithKafka}: finds the broker before the class's first test, puts its address into
 * {@value #SPRING_BOOTSTRAP_SERVERS} (restoring what was there after the class), and hands out the broker and
 * {@link KafkaFixtures}. Usable with {@code @ExtendWith} alone, with {@code @WithKafka}'s defaults.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    /** The system property Spring Boot's Kafka auto-configuration reads, among others, for its bootstrap servers. */
    public static final String SPRING_BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    /** The broker address of each class being run, for Spring's test context (see BrokerContextCustomizerFactory). */
    private static final Map<Class<?>, String> ADDRESSES = new ConcurrentHashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(Held.class, Held.class) != null) {
            return; // a nested class, whose enclosing class has its broker already
        }
        Optional<WithKafka> annotation = AnnotationSupport.findAnnotation(context.getRequiredTestClass(),
                WithKafka.class);
        BrokerSettings settings = BrokerSettings.fromEnvironment();
        if (annotation.map(WithKafka::container).orElse(false)) {
            settings = settings.withContainer();
        }
        KafkaBroker broker;
        Optional<KafkaBroker> declared = KafkaBrokers.declaredContainer(context.getRequiredTestClass(),
                settings.connect());
        if (declared.isPresent()) {
            broker = declared.get();
        }
        else if (annotation.map(WithKafka::scope).orElse(BrokerScope.RUN) == BrokerScope.CLASS) {
            broker = KafkaBrokers.start(settings);
            store.put(ClassBroker.class, new ClassBroker(broker)); // closed by JUnit when the class is done
        }
        else {
            broker = KafkaBrokers.shared(settings);
        }
        store.put(Held.class, new Held(broker));
        store.put(PropertyRestore.class, new PropertyRestore(System.getProperty(SPRING_BOOTSTRAP_SERVERS)));
        System.setProperty(SPRING_BOOTSTRAP_SERVERS, broker.bootstrapServers());
        ADDRESSES.put(context.getRequiredTestClass(), broker.bootstrapServers());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        PropertyRestore restore = context.getStore(NAMESPACE).remove(PropertyRestore.class, PropertyRestore.class);
        if (restore != null) { // only where the broker was set up, not in its nested classes
            restore.run();
            ADDRESSES.remove(context.getRequiredTestClass());
        }
    }

    /** The address of the broker set up for a class being run, or for the class it is nested in. */
    static Optional<String> bootstrapServers(Class<?> testClass) {
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            String address = ADDRESSES.get(type);
            if (address != null) {
                return Optional.of(address);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaBroker.class || type == KafkaFixtures.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Held held = context.getStore(NAMESPACE).get(Held.class, Held.class);
        if (held == null) {
            throw new ParameterResolutionException("No Kafka broker for " + parameter.getParameter()
                    + ": the extension sets one up before the class's tests; register it on the class");
        }
        if (parameter.getParameter().getType() == KafkaBroker.class) {
            return held.broker();
        }
        // One per test (or per class, for a constructor or @BeforeAll method), cleaned up when that scope ends.
        KafkaFixtures fixtures = new KafkaFixtures(held.broker());
        context.getStore(NAMESPACE).put(new Object(), fixtures);
        return fixtures;
    }

    /**
     * The broker of a class and its nested classes. Not itself closeable: JUnit closes what a store holds that is, and
     * the run's shared broker must outlive the class.
     */
    private record Held(KafkaBroker broker) {
    }

    /** A class's own broker, which JUnit closes when the class's context closes. */
    private record ClassBroker(KafkaBroker broker) implements AutoCloseable {

        @Override
        public void close() {
            broker.close();
        }
    }

    private record PropertyRestore(String previous) {

        void run() {
            if (previous == null) {
                System.clearProperty(SPRING_BOOTSTRAP_SERVERS);
            }
            else {
                System.setProperty(SPRING_BOOTSTRAP_SERVERS, previous);
            }
        }
    }
}
