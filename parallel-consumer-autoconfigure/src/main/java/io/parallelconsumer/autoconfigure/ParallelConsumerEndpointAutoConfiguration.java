package io.parallelconsumer.autoconfigure;

import io.parallelconsumer.spring.endpoint.ListenerActionConverter;
import io.parallelconsumer.spring.endpoint.ParallelConsumersEndpoint;
import io.parallelconsumer.spring.endpoint.ParallelConsumersEndpointWebExtension;
import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.EndpointConverter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code parallelconsumers} Actuator endpoint, when Actuator is on the class path and the endpoint is
 * available (exposed over HTTP only through {@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration(after = ParallelConsumerAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(ParallelListenerRegistry.class)
@ConditionalOnAvailableEndpoint(ParallelConsumersEndpoint.class)
public class ParallelConsumerEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ParallelConsumersEndpoint parallelConsumersEndpoint(ParallelListenerRegistry registry) {
        return new ParallelConsumersEndpoint(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    ParallelConsumersEndpointWebExtension parallelConsumersEndpointWebExtension(ParallelConsumersEndpoint endpoint) {
        return new ParallelConsumersEndpointWebExtension(endpoint);
    }

    @Bean
    @EndpointConverter
    static ListenerActionConverter parallelConsumersListenerActionConverter() {
        return new ListenerActionConverter();
    }
}
