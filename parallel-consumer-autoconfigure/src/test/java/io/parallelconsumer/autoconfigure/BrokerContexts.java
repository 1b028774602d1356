package io.parallelconsumer.autoconfigure;

import io.parallelconsumer.testing.TestBroker;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Contexts of the auto-configuration on the shared test broker, reading from the earliest offset. */
public final class BrokerContexts {

    private BrokerContexts() {
    }

    /** A runner whose {@code app.topic} is the given topic. */
    public static ApplicationContextRunner runner(String topic) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
                        ParallelConsumerAutoConfiguration.class))
                .withPropertyValues("spring.kafka.bootstrap-servers=" + TestBroker.bootstrapServers(),
                        "spring.kafka.consumer.auto-offset-reset=earliest", "app.topic=" + topic);
    }
}
