package io.parallelconsumer.autoconfigure;

import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.annotation.ParallelListenerAnnotationBeanPostProcessor;
import io.parallelconsumer.spring.deadletter.DeadLetterSendFailures;
import io.parallelconsumer.spring.deadletter.DeadLetters;
import io.parallelconsumer.spring.listener.ParallelConsumerConfigurer;
import io.parallelconsumer.spring.observation.ListenerObservations;
import io.parallelconsumer.spring.listener.ParallelConsumerCustomizer;
import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Runs {@code @ParallelListener} methods on parallel consumers built from {@code parallel-consumer.*} and Spring
 * Boot's Kafka consumer factory. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass({ ParallelConsumer.class, ConsumerFactory.class })
@ConditionalOnBean(ConsumerFactory.class)
@EnableConfigurationProperties(ParallelConsumerProperties.class)
public class ParallelConsumerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ParallelConsumerConfigurer parallelConsumerConfigurer(ParallelConsumerProperties properties,
            ConsumerFactory<Object, Object> consumerFactory, ObjectProvider<ParallelConsumerCustomizer> customizers,
            ObjectProvider<DeadLetters> deadLetters, ObjectProvider<ListenerObservations> observations) {
        return new ParallelConsumerConfigurer(properties, properties.getListeners(), consumerFactory,
                customizers.orderedStream().toList(), deadLetters.getIfAvailable(), observations.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ProducerFactory.class)
    DeadLetters parallelConsumerDeadLetters(ProducerFactory<?, ?> producerFactory,
            ObjectProvider<KafkaAdmin> kafkaAdmin, ObjectProvider<DeadLetterSendFailures> sendFailures) {
        KafkaAdmin admin = kafkaAdmin.getIfAvailable();
        return DeadLetters.fromApplicationSettings(producerFactory,
                admin != null ? admin.getConfigurationProperties() : null, sendFailures::getIfAvailable);
    }

    @Bean
    @ConditionalOnMissingBean
    ParallelListenerRegistry parallelListenerRegistry(ParallelConsumerConfigurer configurer) {
        return new ParallelListenerRegistry(configurer);
    }

    @Bean
    @ConditionalOnMissingBean
    static ParallelListenerAnnotationBeanPostProcessor parallelListenerAnnotationBeanPostProcessor() {
        return new ParallelListenerAnnotationBeanPostProcessor();
    }
}
