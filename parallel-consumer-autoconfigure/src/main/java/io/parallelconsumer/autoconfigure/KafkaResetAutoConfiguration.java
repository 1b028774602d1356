package io.parallelconsumer.autoconfigure;

import io.parallelconsumer.admin.KafkaResetOperations;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * A {@link KafkaResetOperations} bean speaking to the cluster of Spring Boot's {@link KafkaAdmin}
 * ({@code spring.kafka.*} connection and security, {@code spring.kafka.admin.*}), refusing to run until
 * {@code parallel-consumer.admin.reset.enabled=true}; and, with {@code on-startup=true}, a reset of the listed
 * topics and groups once every bean exists and before any listener or container starts.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass({ Admin.class, KafkaAdmin.class })
@ConditionalOnBean(KafkaAdmin.class)
@EnableConfigurationProperties(KafkaResetProperties.class)
public class KafkaResetAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KafkaResetOperations kafkaResetOperations(KafkaAdmin kafkaAdmin, KafkaResetProperties properties) {
        return new KafkaResetOperations(kafkaAdmin.getConfigurationProperties(), properties.toSettings());
    }

    /** Runs before the lifecycle phase in which listeners and containers start. */
    @Bean
    @ConditionalOnProperty(name = "parallel-consumer.admin.reset.on-startup", havingValue = "true")
    SmartInitializingSingleton kafkaResetOnStartup(KafkaResetOperations operations, KafkaResetProperties properties) {
        return () -> operations.reset(properties.newTopics(), properties.getGroups());
    }
}
