package io.parallelconsumer.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.spring.observation.ListenerObservations;
import io.parallelconsumer.spring.observation.ParallelListenerObservationConvention;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;

/**
 * Makes the records of listeners with {@code parallel-consumer.observation-enabled} observations in the
 * application's {@link ObservationRegistry} (Spring Boot's, which Micrometer Tracing turns into spans), named and
 * tagged by the application's {@link ParallelListenerObservationConvention} bean when it has one.
 */
@AutoConfiguration(before = ParallelConsumerAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ ParallelConsumer.class, ObservationRegistry.class, KafkaRecordReceiverContext.class })
@ConditionalOnBean(ObservationRegistry.class)
public class ParallelConsumerObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ListenerObservations parallelConsumerListenerObservations(ObservationRegistry registry,
            ObjectProvider<ParallelListenerObservationConvention> convention) {
        return new ListenerObservations(registry, convention.getIfUnique());
    }
}
