package io.parallelconsumer.spring.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.FailureAction;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.test.kafka.StallingProxy;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The health states a running application reaches less easily: not started, failed, cluster unreachable. */
class ListenerHealthIndicatorIT {

    private static ListenerHealthIndicator indicator(ParallelConsumer<?, ?> consumer) {
        return new ListenerHealthIndicator(() -> consumer, Duration.ofMinutes(5), Status.DOWN, Duration.ofSeconds(1));
    }

    @Test
    void aListenerNotStartedIsUnknownAndARunningOneIsUp() {
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(TestBroker.createTopic("health-up", 1))
                .handler(record -> { })
                .build();
        assertThat(indicator(consumer).health().getStatus()).isEqualTo(Status.UNKNOWN);
        try {
            consumer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.snapshot().partitions().isEmpty());
            Health health = indicator(consumer).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("assignedPartitions", 1);
        }
        finally {
            consumer.close(Duration.ofSeconds(5));
        }
        assertThat(indicator(consumer).health().getStatus()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void aConsumerThatCannotReachAnyBrokerIsDownAfterTheThreshold() {
        Map<String, Object> properties = TestBroker.consumerProperties(TestBroker.uniqueName("g"));
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(properties)
                .topics("nowhere")
                .handler(record -> { })
                .build();
        try {
            consumer.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> indicator(consumer).health().getStatus().equals(Status.DOWN));
            assertThat(indicator(consumer).health().getDetails().get("error").toString())
                    .startsWith("no exchange with any Kafka broker since");
        }
        finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Test
    void aConsumerWhoseNetworkStopsForwardingIsDownWithinTheThresholdThoughItsConnectionsStayOpen()
            throws Exception {
        // A broker of its own that advertises the proxy's port, so that every connection of the client - to the
        // bootstrap address, the group coordinator and the partition leader - goes through the proxy.
        try (StallingProxy proxy = new StallingProxy()) {
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
            broker.brokerProperties(Map.of("advertised.listeners", "EXTERNAL://localhost:" + proxy.port(),
                    "group.initial.rebalance.delay.ms", "0"));
            broker.afterPropertiesSet();
            try {
                proxy.upstream(Integer.parseInt(broker.getBrokersAsString().replaceAll(".*:", "")));
                ParallelConsumer<String, String> consumer = consumerThrough("localhost:" + proxy.port());
                try {
                    consumer.start();
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> !consumer.snapshot().partitions().isEmpty());
                    ListenerHealthIndicator indicator = new ListenerHealthIndicator(() -> consumer,
                            Duration.ofMinutes(5), Status.DOWN, Duration.ofSeconds(3));
                    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

                    proxy.forward(false);
                    await().atMost(Duration.ofSeconds(40)).until(() -> indicator.health().getStatus()
                            .equals(Status.DOWN));
                    Health down = indicator.health();
                    assertThat(down.getDetails().get("error").toString()).startsWith("no exchange with any Kafka "
                            + "broker since");
                    Instant since = consumer.snapshot().unreachableSince();
                    assertThat(Duration.between(since, consumer.snapshot().takenAt()))
                            .as("DOWN counts from the last response").isGreaterThan(Duration.ofSeconds(3));

                    proxy.forward(true);
                    await().atMost(Duration.ofSeconds(60)).until(() -> indicator.health().getStatus()
                            .equals(Status.UP));
                }
                finally {
                    consumer.close(Duration.ofSeconds(2));
                }
            }
            finally {
                broker.destroy();
            }
        }
    }

    private static ParallelConsumer<String, String> consumerThrough(String bootstrap) {
        Map<String, Object> properties = TestBroker.consumerProperties(TestBroker.uniqueName("g"));
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return ParallelConsumer.<String, String>builder()
                .consumerProperties(properties)
                .topics("stalled")
                .handler(record -> { })
                .build();
    }

    @Test
    void aFailedConsumerIsDownWithItsError() throws Exception {
        String topic = TestBroker.createTopic("health-failed", 1);
        TestBroker.produceSequenced(topic, 1, 1);
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .maxAttempts(1)
                .handler(record -> {
                    throw new IllegalStateException("broken handler");
                })
                .failurePolicy(failed -> FailureAction.STOP)
                .build();
        try {
            consumer.start();
            assertThat(consumer.termination().toCompletableFuture().get()).isEqualTo(ConsumerState.FAILED);
            Health health = indicator(consumer).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("error").toString()).contains("Failure policy stopped the consumer");
        }
        finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
