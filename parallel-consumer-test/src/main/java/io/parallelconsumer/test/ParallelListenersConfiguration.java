package io.parallelconsumer.test;

import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Adds {@link ParallelListeners} to a test's application; imported by {@link ParallelConsumerTest}. */
@TestConfiguration(proxyBeanMethods = false)
public class ParallelListenersConfiguration {

    @Bean
    ParallelListeners parallelListeners(ParallelListenerRegistry registry) {
        return new ParallelListeners(registry);
    }
}
