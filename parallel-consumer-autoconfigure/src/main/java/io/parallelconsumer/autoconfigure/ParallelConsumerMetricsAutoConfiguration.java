package io.parallelconsumer.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.micrometer.ParallelConsumerMetrics;
import io.parallelconsumer.spring.deadletter.DeadLetterSendFailures;
import io.parallelconsumer.spring.listener.ParallelConsumerCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Binds the {@code parallel.consumer.*} meters of every listener when the application has a {@link MeterRegistry}
 * (Spring Boot's metrics auto-configuration makes one when Micrometer is on the class path). Percentile histograms
 * of the timers come from the usual properties, e.g.
 * {@code management.metrics.distribution.percentiles-histogram.parallel.consumer.latency=true}.
 */
@AutoConfiguration(before = ParallelConsumerAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ ParallelConsumer.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
public class ParallelConsumerMetricsAutoConfiguration {

    /** Closed with the context, which removes every meter it registered. */
    @Bean
    @ConditionalOnMissingBean
    ParallelConsumerMetrics parallelConsumerMetrics(MeterRegistry registry) {
        return new ParallelConsumerMetrics(registry);
    }

    /** Counts the failed tries to dead-letter a record, by listener. */
    @Bean
    DeadLetterSendFailures parallelConsumerDeadLetterSendFailures(ParallelConsumerMetrics metrics) {
        return (listenerId, cause) -> metrics.deadLetterSendFailed(listenerId);
    }

    /** Gives every listener's consumer the meters of its id. */
    @Bean
    ParallelConsumerCustomizer parallelConsumerMetricsCustomizer(ParallelConsumerMetrics metrics) {
        return (listenerId, builder) -> builder.observer(metrics.observer(listenerId));
    }
}
