package io.parallelconsumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.parallelconsumer.testing.ConsumerRuns;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a {@link ConsumerObserver} is told, and that a broken one cannot hurt the records. */
class ObserverIT {

    @Test
    void theObserverIsToldOfEveryOutcomeCommitAndRebalance() {
        String topic = TestBroker.createTopic("observed", 3);
        TestBroker.produceSequenced(topic, 300, 10);
        RecordingObserver observer = new RecordingObserver();
        AtomicInteger attemptsOfPoison = new AtomicInteger();
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .concurrency(4)
                .maxAttempts(3)
                .backoff(Backoff.fixed(Duration.ofMillis(1)))
                .commitInterval(Duration.ofMillis(50))
                .handler(record -> {
                    if (record.value().equals("k3:7")) {
                        attemptsOfPoison.incrementAndGet();
                        throw new IllegalStateException("poison");
                    }
                })
                .failurePolicy(failed -> FailureAction.SKIP)
                .observer(observer)
                .build();
        ConsumerRuns.runUntil(consumer,
                () -> observer.results.getOrDefault(AttemptResult.SUCCESS, new AtomicLong()).get() >= 299
                        && observer.skipped.size() == 1 && observer.commitsOk.get() > 0);

        assertThat(observer.started).containsExactly(consumer);
        assertThat(observer.stopped).containsExactly(consumer);
        assertThat(observer.assigned).containsExactlyInAnyOrder(new TopicPartition(topic, 0),
                new TopicPartition(topic, 1), new TopicPartition(topic, 2));
        assertThat(observer.revoked).containsExactlyInAnyOrderElementsOf(observer.assigned);
        assertThat(observer.results.get(AttemptResult.SUCCESS)).hasValue(299);
        assertThat(observer.results.get(AttemptResult.RETRY)).hasValue(2);
        assertThat(observer.results.get(AttemptResult.FAILURE)).hasValue(1);
        assertThat(observer.failed).singleElement().satisfies(failed -> {
            assertThat(failed.record().value()).isEqualTo("k3:7");
            assertThat(failed.attempts()).isEqualTo(3);
        });
        assertThat(observer.skipped).containsExactlyElementsOf(observer.failed);
        assertThat(observer.negativeDurations).hasValue(0);
        assertThat(attemptsOfPoison).hasValue(3);
    }

    @Test
    void anObserverThatThrowsChangesNothingForTheRecords() {
        String topic = TestBroker.createTopic("observer-throws", 2);
        TestBroker.produceSequenced(topic, 200, 5);
        AtomicInteger processed = new AtomicInteger();
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .handler(record -> processed.incrementAndGet())
                .observer(new ConsumerObserver() {
                    @Override
                    public void attemptEnded(ConsumerRecord<?, ?> record, AttemptResult result, long nanos) {
                        throw new IllegalStateException("broken observer");
                    }

                    @Override
                    public void partitionsAssigned(Collection<TopicPartition> partitions) {
                        throw new IllegalStateException("broken observer");
                    }
                })
                .build();
        ConsumerRuns.runUntil(consumer, () -> processed.get() >= 200);
        assertThat(processed).hasValue(200);
        assertThat(TestBroker.committedTotal(consumer.options().groupId(), topic, 2)).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "classic", "consumer" })
    void aConsumerThatCannotReachAnyBrokerSaysSinceWhen(String protocol) {
        Map<String, Object> properties = TestBroker.consumerProperties(TestBroker.uniqueName("g"));
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        Map<String, Object> reachableProperties = TestBroker.consumerProperties(TestBroker.uniqueName("g"));
        reachableProperties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        ParallelConsumer<String, String> unreachable = ParallelConsumer.<String, String>builder()
                .consumerProperties(properties)
                .topics("nowhere")
                .handler(record -> { })
                .build();
        ParallelConsumer<String, String> reachable = ParallelConsumer.<String, String>builder()
                .consumerProperties(reachableProperties)
                .topics(TestBroker.createTopic("reachable", 1))
                .handler(record -> { })
                .build();
        try {
            unreachable.start();
            reachable.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> unreachable.snapshot().unreachableSince() != null);
            await().atMost(Duration.ofSeconds(30)).until(() -> !reachable.snapshot().partitions().isEmpty());
            assertThat(reachable.snapshot().unreachableSince()).isNull();
        }
        finally {
            unreachable.close(Duration.ofSeconds(2));
            reachable.close(Duration.ofSeconds(5));
        }
    }

    private static final class RecordingObserver implements ConsumerObserver {
        final List<ParallelConsumer<?, ?>> started = new CopyOnWriteArrayList<>();
        final List<ParallelConsumer<?, ?>> stopped = new CopyOnWriteArrayList<>();
        final List<TopicPartition> assigned = new CopyOnWriteArrayList<>();
        final List<TopicPartition> revoked = new CopyOnWriteArrayList<>();
        final Map<AttemptResult, AtomicLong> results = new ConcurrentHashMap<>();
        final AtomicLong negativeDurations = new AtomicLong();
        final List<FailedRecord<?, ?>> failed = new CopyOnWriteArrayList<>();
        final List<FailedRecord<?, ?>> skipped = new CopyOnWriteArrayList<>();
        final AtomicLong commitsOk = new AtomicLong();

        @Override
        public void started(ParallelConsumer<?, ?> consumer) {
            started.add(consumer);
        }

        @Override
        public void stopped(ParallelConsumer<?, ?> consumer) {
            stopped.add(consumer);
        }

        @Override
        public void partitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(new ArrayList<>(partitions));
        }

        @Override
        public void partitionsRevoked(Collection<TopicPartition> partitions) {
            revoked.addAll(new ArrayList<>(partitions));
        }

        @Override
        public void attemptEnded(ConsumerRecord<?, ?> record, AttemptResult result, long durationNanos) {
            results.computeIfAbsent(result, r -> new AtomicLong()).incrementAndGet();
            if (durationNanos < 0) {
                negativeDurations.incrementAndGet();
            }
        }

        @Override
        public void recordFailed(FailedRecord<?, ?> record) {
            failed.add(record);
        }

        @Override
        public void recordSkipped(FailedRecord<?, ?> record) {
            skipped.add(record);
        }

        @Override
        public void commitEnded(boolean success) {
            if (success) {
                commitsOk.incrementAndGet();
            }
        }
    }
}
