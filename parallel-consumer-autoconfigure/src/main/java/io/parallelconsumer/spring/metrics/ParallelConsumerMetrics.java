package io.parallelconsumer.spring.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.ParallelConsumerBuilder;
import io.parallelconsumer.spring.listener.ParallelConsumerCustomizer;

/**
 * Binds the {@code parallel.consumer.*} meters of every {@code @ParallelListener} to a {@link MeterRegistry}. One
 * {@link ListenerMetrics} per listener id outlives the consumers of that listener, so a listener stopped and
 * started again keeps its counters and never registers a gauge twice.
 * <p>
 * A consumer built by hand gets the same meters with {@code builder.observer(metrics.observer("my-consumer"))}.
 */
public class ParallelConsumerMetrics implements ParallelConsumerCustomizer {

    private final MeterRegistry registry;
    private final Map<String, ListenerMetrics> listeners = new ConcurrentHashMap<>();

    public ParallelConsumerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void customize(String listenerId, ParallelConsumerBuilder<Object, Object> builder) {
        builder.observer(observer(listenerId));
    }

    /** The observer that keeps the meters of the consumer named {@code listener} (its {@code listener} tag). */
    public ConsumerObserver observer(String listener) {
        return listeners.computeIfAbsent(listener, id -> new ListenerMetrics(registry, id));
    }
}
