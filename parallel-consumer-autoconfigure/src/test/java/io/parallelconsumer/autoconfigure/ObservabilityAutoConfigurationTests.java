package io.parallelconsumer.autoconfigure;


import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parallelconsumer.micrometer.ParallelConsumerMetrics;
import io.parallelconsumer.spring.endpoint.ParallelConsumersEndpoint;
import io.parallelconsumer.spring.health.ParallelConsumersHealthContributor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** When the meters, the health contributor and the endpoint are there, and when they stay away. */
class ObservabilityAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
                    ParallelConsumerAutoConfiguration.class, ParallelConsumerMetricsAutoConfiguration.class,
                    ParallelConsumerHealthAutoConfiguration.class, ParallelConsumerEndpointAutoConfiguration.class))
            .withPropertyValues("parallel-consumer.auto-startup=false");

    @Test
    void everythingIsThereWithAMeterRegistryAndActuator() {
        contextRunner.withUserConfiguration(Registry.class)
                .withPropertyValues("management.endpoints.web.exposure.include=parallelconsumers").run(context -> {
            assertThat(context).hasSingleBean(ParallelConsumerMetrics.class);
            assertThat(context).hasBean("parallelConsumersHealthContributor");
            assertThat(context).hasSingleBean(ParallelConsumersHealthContributor.class);
            assertThat(context).hasSingleBean(ParallelConsumersEndpoint.class);
        });
    }

    @Test
    void noMetersWithoutAMeterRegistryOrWithoutMicrometer() {
        contextRunner.run(context -> assertThat(context).doesNotHaveBean(ParallelConsumerMetrics.class));
        contextRunner.withUserConfiguration(Registry.class)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).doesNotHaveBean(ParallelConsumerMetrics.class));
    }

    @Test
    void healthCanBeSwitchedOffAndTheEndpointStaysAwayUnlessExposed() {
        contextRunner.run(context -> assertThat(context).doesNotHaveBean(ParallelConsumersEndpoint.class));
        contextRunner.withPropertyValues("management.health.parallelconsumers.enabled=false",
                "management.endpoints.web.exposure.include=parallelconsumers",
                "management.endpoint.parallelconsumers.access=NONE").run(context -> {
                    assertThat(context).doesNotHaveBean(ParallelConsumersHealthContributor.class);
                    assertThat(context).doesNotHaveBean(ParallelConsumersEndpoint.class);
                });
    }

    @Test
    void theHealthThresholdsAreCheckedAtStartup() {
        contextRunner.withPropertyValues("parallel-consumer.health.blocked-threshold=0s",
                "parallel-consumer.health.blocked-status= ").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("parallel-consumer.health.blocked-threshold must be a positive duration")
                            .hasMessageContaining("parallel-consumer.health.blocked-status must name a health status");
                });
    }

    @Test
    void aUserDefinedMetricsBeanWins() {
        contextRunner.withUserConfiguration(Registry.class, OwnMetrics.class).run(context -> {
            assertThat(context).hasSingleBean(ParallelConsumerMetrics.class);
            assertThat(context.getBean(ParallelConsumerMetrics.class)).isSameAs(OwnMetrics.METRICS);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMetrics {
        static final ParallelConsumerMetrics METRICS = new ParallelConsumerMetrics(new SimpleMeterRegistry());

        @Bean
        ParallelConsumerMetrics parallelConsumerMetrics() {
            return METRICS;
        }
    }

}
