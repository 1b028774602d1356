package io.parallelconsumer.spring.listener;

import io.parallelconsumer.ParallelConsumerBuilder;

/**
 * Adjusts the builder of each listener's consumer after the properties and the annotation were applied: for
 * example a failure policy that publishes to a dead-letter topic, or an engine choice made in code.
 */
@FunctionalInterface
public interface ParallelConsumerCustomizer {

    /**
     * @param listenerId the listener's id
     * @param builder the builder, with properties and annotation applied
     */
    void customize(String listenerId, ParallelConsumerBuilder<Object, Object> builder);
}
