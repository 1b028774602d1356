package io.parallelconsumer.micrometer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parallelconsumer.ConsumerObserver;

/**
 * The {@code parallel.consumer.*} meters of parallel consumers, in a Micrometer {@link MeterRegistry}: add
 * {@code builder.observer(metrics.observer("orders"))} to a consumer's builder and it gets the meters tagged
 * {@code listener=orders}. One set of meters per name outlives the consumers of that name, so a consumer stopped and
 * built again under the same name keeps its counters and never registers a gauge twice. {@link #close()} removes
 * every meter this registered. Needs {@code micrometer-core} on the class path, nothing else; the Spring Boot
 * starter does this for every {@code @ParallelListener}.
 */
public class ParallelConsumerMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final Map<String, ConsumerMeters> consumers = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetterSendFailures = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ParallelConsumerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The observer that keeps the meters of the consumer named {@code name} (their {@code listener} tag). */
    public ConsumerObserver observer(String name) {
        return consumers.computeIfAbsent(name, id -> new ConsumerMeters(registry, id));
    }

    /**
     * Counts a failed try to dead-letter a record of the consumer named {@code name}
     * ({@code parallel.consumer.dead.letter.send.failures}): a send the broker did not acknowledge, or a dead-letter
     * topic that does not exist.
     */
    public void deadLetterSendFailed(String name) {
        if (closed) {
            return;
        }
        deadLetterSendFailures.computeIfAbsent(name, id -> Counter
                .builder("parallel.consumer.dead.letter.send.failures")
                .description("Failed tries to publish a record to its dead-letter topic")
                .tag("listener", id).register(registry)).increment();
    }

    /** Removes every meter registered here, of every consumer; observers handed out earlier register none again. */
    @Override
    public void close() {
        closed = true;
        consumers.values().forEach(ConsumerMeters::close);
        deadLetterSendFailures.values().forEach(registry::remove);
    }
}
