package io.parallelconsumer.autoconfigure;

import java.util.Locale;

import io.parallelconsumer.spring.health.ParallelConsumersHealthContributor;
import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * A health indicator per {@code @ParallelListener}, under {@code parallelConsumers} in {@code /actuator/health};
 * thresholds in {@code parallel-consumer.health.*}, switched off with
 * {@code management.health.parallelconsumers.enabled=false}.
 */
@AutoConfiguration(after = ParallelConsumerAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(ParallelListenerRegistry.class)
@ConditionalOnEnabledHealthIndicator("parallelconsumers")
public class ParallelConsumerHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "parallelConsumersHealthContributor")
    ParallelConsumersHealthContributor parallelConsumersHealthContributor(ParallelListenerRegistry registry,
            ParallelConsumerProperties properties) {
        ParallelConsumerProperties.Health health = properties.getHealth();
        return new ParallelConsumersHealthContributor(registry, health.getBlockedThreshold(),
                new Status(health.getBlockedStatus().trim().toUpperCase(Locale.ROOT)),
                health.getUnreachableThreshold());
    }
}
