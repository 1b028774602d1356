package io.parallelconsumer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.testing.ConsumerRuns;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The done offsets above the committed one travel in the commit metadata: the next owner of the partition runs
 * only what was not done. Here the first consumer stops while its first record is stuck, as after a deployment
 * that could not wait for a slow call.
 */
class CommitMetadataIT {

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void theNextOwnerSkipsWhatWasAlreadyDoneAboveTheCommittedOffset(boolean commitMetadata) throws Exception {
        String topic = TestBroker.createTopic("commit-metadata", 1);
        String group = TestBroker.uniqueName("g");
        try (KafkaProducer<String, String> producer = TestBroker.producer()) {
            producer.send(new ProducerRecord<>(topic, "stuck", "v0"));
            for (int i = 1; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i % 10, "v" + i));
            }
        }
        CountDownLatch never = new CountDownLatch(1);
        List<Long> first = new CopyOnWriteArrayList<>();
        ParallelConsumer<String, String> before = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(group))
                .topics(topic)
                .commitMetadata(commitMetadata)
                .maxAttempts(1)
                .handler(record -> {
                    if (record.key().equals("stuck")) {
                        never.await(1, TimeUnit.MINUTES); // interrupted when the close gives up on it
                    }
                    first.add(record.offset());
                })
                .build();
        before.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> first.size() == 99);
        before.close(Duration.ofSeconds(2));

        TopicPartition tp = new TopicPartition(topic, 0);
        OffsetAndMetadata committed = TestBroker.committedPositions(group, List.of(tp)).get(tp);
        assertThat(committed.offset()).as("the stuck record holds the commit").isZero();

        List<Long> second = new CopyOnWriteArrayList<>();
        ParallelConsumer<String, String> after = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(group))
                .topics(topic)
                .handler(record -> second.add(record.offset()))
                .build();
        ConsumerRuns.runUntil(after, () -> TestBroker.committedTotal(group, topic, 1) == 100);
        if (commitMetadata) {
            assertThat(committed.metadata()).startsWith("pc1:");
            assertThat(second).containsExactly(0L);
            assertThat(after.snapshot().counters().alreadyDone()).isEqualTo(99);
        }
        else {
            assertThat(committed.metadata()).isEmpty();
            assertThat(second).hasSize(100).doesNotHaveDuplicates();
            assertThat(after.snapshot().counters().alreadyDone()).isZero();
        }
    }
}
