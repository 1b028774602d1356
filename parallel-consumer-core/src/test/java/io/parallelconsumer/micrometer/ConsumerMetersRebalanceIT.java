package io.parallelconsumer.micrometer;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Partition gauges follow the assignment through real rebalances, for the classic protocol and for KIP-848: a
 * second member takes partitions away from the first (whose gauges for them go), and gives them back when it
 * leaves.
 */
class ConsumerMetersRebalanceIT {

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void partitionGaugesFollowTheAssignment(String protocol) {
        String topic = TestBroker.createTopic("metrics-rebalance", 4);
        String group = TestBroker.uniqueName("metrics-group");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ParallelConsumerMetrics metrics = new ParallelConsumerMetrics(registry);
        ParallelConsumer<String, String> first = consumer(topic, group, protocol, metrics.observer("first"));
        ParallelConsumer<String, String> second = consumer(topic, group, protocol, metrics.observer("second"));
        try {
            first.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> lagPartitions(registry, "first").size() == 4);

            second.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !lagPartitions(registry, "second").isEmpty()
                    && lagPartitions(registry, "first").size() + lagPartitions(registry, "second").size() == 4);
            assertThat(lagPartitions(registry, "first")).doesNotContainAnyElementsOf(lagPartitions(registry, "second"));
            assertThat(first.snapshot().partitions()).hasSize(lagPartitions(registry, "first").size());

            second.close(Duration.ofSeconds(10));
            assertThat(lagPartitions(registry, "second")).isEmpty();
            await().atMost(Duration.ofSeconds(60)).until(() -> lagPartitions(registry, "first").size() == 4);
        }
        finally {
            second.close(Duration.ofSeconds(10));
            first.close(Duration.ofSeconds(10));
        }
        assertThat(registry.find("parallel.consumer.lag").gauges()).isEmpty();
        assertThat(registry.find("parallel.consumer.in.flight").gauges()).isEmpty();
    }

    private static ParallelConsumer<String, String> consumer(String topic, String group, String protocol,
            ConsumerObserver observer) {
        Map<String, Object> properties = TestBroker.consumerProperties(group);
        properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        return ParallelConsumer.<String, String>builder()
                .consumerProperties(properties)
                .topics(topic)
                .handler(record -> { })
                .observer(observer)
                .build();
    }

    private static Set<String> lagPartitions(SimpleMeterRegistry registry, String listener) {
        return registry.find("parallel.consumer.lag").tag("listener", listener).gauges().stream()
                .map(Gauge::getId).map(id -> id.getTag("partition")).collect(Collectors.toSet());
    }
}
