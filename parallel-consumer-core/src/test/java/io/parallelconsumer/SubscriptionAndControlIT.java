package io.parallelconsumer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.parallelconsumer.testing.ConsumerRuns;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pattern subscriptions, pausing by the application, and what a snapshot shows of a blocked partition. */
class SubscriptionAndControlIT {

    @Test
    void aTopicPatternSubscribesEveryMatchingTopic() {
        String prefix = TestBroker.uniqueName("pattern").replace('-', '_');
        String first = TestBroker.createTopic(prefix + "-a", 2);
        String second = TestBroker.createTopic(prefix + "-b", 1);
        TestBroker.produceSequenced(first, 300, 10);
        TestBroker.produceSequenced(second, 200, 10);
        AtomicInteger processed = new AtomicInteger();

        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topicPattern(Pattern.compile(Pattern.quote(prefix) + "-.*"))
                .handler(record -> processed.incrementAndGet())
                .build();
        ConsumerRuns.runUntil(consumer, () -> processed.get() >= 500);
        assertThat(processed).hasValue(500);
    }

    @Test
    void pausedByTheApplicationNothingIsFetchedUntilResumed() {
        String topic = TestBroker.createTopic("app-pause", 2);
        AtomicInteger processed = new AtomicInteger();
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .handler(record -> processed.incrementAndGet())
                .build();
        try {
            consumer.pause();
            consumer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.snapshot().partitions().size() == 2
                    && consumer.snapshot().partitions().stream().allMatch(PartitionSnapshot::paused));
            TestBroker.produceSequenced(topic, 100, 5);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> processed.get() == 0);
            assertThat(consumer.snapshot().pausedByApplication()).isTrue();

            consumer.resume();
            await().atMost(Duration.ofSeconds(30)).until(() -> processed.get() == 100);
            assertThat(consumer.snapshot().partitions()).noneMatch(PartitionSnapshot::paused);
        }
        finally {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void aSnapshotShowsTheBlockingOffsetAndTheGapsAboveIt() throws Exception {
        String topic = TestBroker.createTopic("snapshot", 1);
        try (KafkaProducer<String, String> producer = TestBroker.producer()) {
            for (String key : List.of("a", "b", "a", "b", "b")) { // offsets 0..4
                producer.send(new ProducerRecord<>(topic, key, key));
            }
        }
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger processed = new AtomicInteger();
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .concurrency(4)
                .handler(record -> {
                    if (record.offset() == 0) {
                        release.await(1, TimeUnit.MINUTES);
                    }
                    processed.incrementAndGet();
                })
                .build();
        try {
            Instant beforeStart = Instant.now();
            consumer.start();
            // b@1, b@3, b@4 complete; a@0 blocks and a@2 waits behind it.
            await().atMost(Duration.ofSeconds(30)).until(() -> processed.get() == 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> partition(consumer).logEndOffset() == 5);
            PartitionSnapshot partition = partition(consumer);
            assertThat(partition.blockingOffset()).isZero();
            assertThat(partition.blockedSince()).isAfterOrEqualTo(beforeStart.minusSeconds(1));
            assertThat(partition.incomplete()).isEqualTo(2);
            assertThat(partition.gaps()).as("offset 2 is a run of its own above offset 0").isEqualTo(1);
            assertThat(partition.commitOffset()).isZero();
            assertThat(partition.highestFetchedOffset()).isEqualTo(4);
            assertThat(partition.queued()).isEqualTo(1);
            assertThat(partition.inFlight()).isEqualTo(1);
            assertThat(partition.lag()).isEqualTo(5);

            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> partition(consumer).commitOffset() == 5);
            assertThat(partition(consumer).blockingOffset()).isEqualTo(-1);
            assertThat(partition(consumer).gaps()).isZero();
        }
        finally {
            release.countDown();
            consumer.close(Duration.ofSeconds(10));
        }
    }

    private static PartitionSnapshot partition(ParallelConsumer<String, String> consumer) {
        return consumer.snapshot().partitions().get(0);
    }
}
