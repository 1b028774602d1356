package io.parallelconsumer.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * An in-JVM KRaft broker for the demo, started when no cluster is configured, with
 * {@code spring.kafka.bootstrap-servers} pointed at it. It stops with the application context, after everything
 * that uses it: the listeners drain and commit while it still runs. JVM shutdown hooks run all at once, so neither
 * the broker nor its temporary directories may have hooks of their own: a broker stopped by its own hook races the
 * listeners (which then retry against a broker that is gone), and a directory deleted by its hook takes the files
 * from under a broker still closing them.
 */
final class EmbeddedBroker implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String PROPERTY = "spring.kafka.bootstrap-servers";

    private final EmbeddedKafkaKraftBroker broker;
    /** What Kafka's test kit asked to run at JVM exit (deleting its directories): run once the broker is down. */
    private final List<Runnable> cleanups;

    private EmbeddedBroker(EmbeddedKafkaKraftBroker broker, List<Runnable> cleanups) {
        this.broker = broker;
        this.cleanups = cleanups;
    }

    /** The started broker, or {@code null} when the application names a cluster of its own. */
    static EmbeddedBroker startUnlessConfigured(String[] args) {
        boolean configured = System.getProperty(PROPERTY) != null
                || System.getenv("SPRING_KAFKA_BOOTSTRAP_SERVERS") != null
                || Arrays.stream(args).anyMatch(arg -> arg.startsWith("--" + PROPERTY + "="));
        if (configured) {
            return null;
        }
        List<Runnable> cleanups = new ArrayList<>();
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        Exit.setShutdownHookAdder((name, hook) -> cleanups.add(hook));
        try {
            broker.afterPropertiesSet();
        }
        finally {
            Exit.resetShutdownHookAdder();
        }
        System.setProperty(PROPERTY, broker.getBrokersAsString());
        log.info("No {} set: started an embedded Kafka broker at {}", PROPERTY, broker.getBrokersAsString());
        return new EmbeddedBroker(broker, cleanups);
    }

    /**
     * Registers the broker as the context's first disposable bean, so that it is destroyed last, once the
     * listeners (a lifecycle phase) and the producers (beans created after it) have closed.
     */
    ApplicationContextInitializer<ConfigurableApplicationContext> stopWithContext() {
        return context -> ((GenericApplicationContext) context).registerBean("sampleEmbeddedBroker",
                EmbeddedBroker.class, () -> this);
    }

    @Override
    public void destroy() {
        broker.destroy();
        cleanups.forEach(Runnable::run);
        cleanups.clear();
    }
}
