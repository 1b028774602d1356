package io.parallelconsumer.spring.listener;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.ParallelConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Owns the consumers of all {@code @ParallelListener} methods (they are not beans) and runs their life cycle with
 * the application context: started late, once everything they call is ready, and stopped early, draining and
 * committing before the beans they use go away. The application can also start, stop, pause and resume a
 * listener by id.
 */
public class ParallelListenerRegistry implements SmartLifecycle {

    /** Late start and early stop, like Spring Kafka's listener containers. */
    public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

    private static final Logger log = LoggerFactory.getLogger(ParallelListenerRegistry.class);

    private final ParallelConsumerConfigurer configurer;
    private final Map<String, Registration> registrations = new LinkedHashMap<>();
    private volatile boolean running;

    public ParallelListenerRegistry(ParallelConsumerConfigurer configurer) {
        this.configurer = configurer;
    }

    /**
     * Registers a listener; its consumer is built (and its settings checked) now, and started with the registry.
     * @throws IllegalStateException if a listener with the same id exists
     */
    public synchronized void register(ParallelListenerEndpoint endpoint) {
        if (registrations.containsKey(endpoint.id())) {
            throw new ParallelListenerConfigurationException("Two @ParallelListener methods share the id '"
                    + endpoint.id() + "': " + registrations.get(endpoint.id()).endpoint.adapter().description()
                    + " and " + endpoint.adapter().description() + ".", "Give each listener its own id.");
        }
        configurer.verify(endpoint);
        Registration registration = new Registration(endpoint, build(endpoint));
        registrations.put(endpoint.id(), registration);
        if (running && configurer.autoStartup(endpoint)) {
            registration.consumer.start();
        }
    }

    private ParallelConsumer<Object, Object> build(ParallelListenerEndpoint endpoint) {
        try {
            return configurer.configure(endpoint).build();
        }
        catch (IllegalArgumentException ex) {
            throw new ParallelListenerConfigurationException("Invalid settings for @ParallelListener '"
                    + endpoint.id() + "' (" + endpoint.adapter().description() + "): " + ex.getMessage(),
                    "Change the settings named above, under parallel-consumer.listeners." + endpoint.id()
                            + ".*, on the annotation, under parallel-consumer.*, or in a ParallelConsumerCustomizer.",
                    ex);
        }
    }

    /**
     * Fails if {@code parallel-consumer.listeners.<id>} names a listener that does not exist: a typo there would
     * lose a tuning without a word.
     * @param declaredElsewhere ids of listeners on beans not created yet (lazy ones), which count as existing
     * @throws ParallelListenerConfigurationException naming the unknown ids and the ids that exist
     */
    public synchronized void verifyListenerProperties(Set<String> declaredElsewhere) {
        Set<String> known = new TreeSet<>(registrations.keySet());
        known.addAll(declaredElsewhere);
        Set<String> unknown = new TreeSet<>(configurer.configuredListenerIds());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new ParallelListenerConfigurationException("parallel-consumer.listeners has settings for "
                    + (unknown.size() == 1 ? "listener id " : "listener ids ") + String.join(", ", unknown)
                    + ", but no @ParallelListener has " + (unknown.size() == 1 ? "that id" : "those ids")
                    + "; the listeners are: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ".",
                    "Correct the id under parallel-consumer.listeners to one of the listeners' ids, or remove the "
                            + "entry.");
        }
    }

    /** Ids of all registered listeners. */
    public synchronized Set<String> getListenerIds() {
        return Set.copyOf(registrations.keySet());
    }

    /** The consumer of a listener, or {@code null}. */
    public synchronized ParallelConsumer<Object, Object> getConsumer(String id) {
        Registration registration = registrations.get(id);
        return registration == null ? null : registration.consumer;
    }

    /** All consumers, in registration order. */
    public synchronized Collection<ParallelConsumer<Object, Object>> getConsumers() {
        return registrations.values().stream().map(r -> r.consumer).toList();
    }

    /** Starts a listener; one that was stopped gets a fresh consumer that resumes from the committed offsets. */
    public synchronized void start(String id) {
        start(require(id));
    }

    private void start(Registration registration) {
        ConsumerState state = registration.consumer.state();
        if (state == ConsumerState.STOPPED || state == ConsumerState.FAILED) {
            registration.consumer = build(registration.endpoint);
        }
        if (registration.consumer.state() == ConsumerState.CREATED) {
            registration.consumer.start();
        }
    }

    /** Stops a listener: drains what it fetched and commits, within its shutdown timeout. */
    public void stop(String id) {
        ParallelConsumer<Object, Object> consumer;
        synchronized (this) {
            consumer = require(id).consumer;
        }
        consumer.close();
    }

    /** Stops fetching for a listener; what it fetched still runs. */
    public synchronized void pause(String id) {
        require(id).consumer.pause();
    }

    public synchronized void resume(String id) {
        require(id).consumer.resume();
    }

    private Registration require(String id) {
        Registration registration = registrations.get(id);
        if (registration == null) {
            throw new IllegalArgumentException("No @ParallelListener with id '" + id + "'; known: "
                    + registrations.keySet());
        }
        return registration;
    }

    @Override
    public synchronized void start() {
        for (Registration registration : registrations.values()) {
            if (configurer.autoStartup(registration.endpoint)) {
                start(registration); // after a stop of the whole context too
            }
        }
        running = true;
    }

    /** Stops every listener and waits until all have drained and committed (each within its shutdown timeout). */
    @Override
    public void stop() {
        stopAll().join();
    }

    /**
     * Stops every listener at once, each on a thread of its own so that they drain side by side, and runs the
     * callback when the last one has closed: the context's shutdown goes on with other phases meanwhile.
     */
    @Override
    public void stop(Runnable callback) {
        stopAll().whenComplete((ignored, error) -> callback.run());
    }

    private CompletableFuture<Void> stopAll() {
        List<ParallelConsumer<Object, Object>> consumers;
        synchronized (this) {
            running = false;
            consumers = List.copyOf(getConsumers());
        }
        return CompletableFuture.allOf(consumers.stream().map(consumer -> {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            Thread closer = new Thread(() -> {
                try {
                    consumer.close();
                }
                catch (RuntimeException ex) {
                    log.warn("Stopping {} failed", consumer, ex);
                }
                finally {
                    closed.complete(null);
                }
            }, consumer.options().name() + "-stop");
            closer.setDaemon(true);
            closer.start();
            return closed;
        }).toArray(CompletableFuture[]::new));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }

    private static final class Registration {
        final ParallelListenerEndpoint endpoint;
        volatile ParallelConsumer<Object, Object> consumer;

        Registration(ParallelListenerEndpoint endpoint, ParallelConsumer<Object, Object> consumer) {
            this.endpoint = endpoint;
            this.consumer = consumer;
        }
    }
}
