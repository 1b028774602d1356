package io.parallelconsumer.spring.health;

import java.time.Duration;
import java.util.stream.Stream;

import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.Status;

/**
 * One health indicator per {@code @ParallelListener}, named by its id, read from the registry at each health
 * check so that listeners registered later are included.
 */
public class ParallelConsumersHealthContributor implements CompositeHealthContributor {

    private final ParallelListenerRegistry registry;
    private final Duration blockedThreshold;
    private final Status blockedStatus;
    private final Duration unreachableThreshold;

    public ParallelConsumersHealthContributor(ParallelListenerRegistry registry, Duration blockedThreshold,
            Status blockedStatus, Duration unreachableThreshold) {
        this.registry = registry;
        this.blockedThreshold = blockedThreshold;
        this.blockedStatus = blockedStatus;
        this.unreachableThreshold = unreachableThreshold;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return registry.getListenerIds().contains(name) ? indicator(name) : null;
    }

    @Override
    public Stream<Entry> stream() {
        return registry.getListenerIds().stream().sorted().map(id -> new Entry(id, indicator(id)));
    }

    private ListenerHealthIndicator indicator(String id) {
        return new ListenerHealthIndicator(() -> registry.getConsumer(id), blockedThreshold, blockedStatus,
                unreachableThreshold);
    }
}
