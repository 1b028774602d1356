package io.parallelconsumer.internal.poller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.ParallelConsumerBuilder;
import io.parallelconsumer.ParallelConsumerOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Options and records for the poller's unit tests, which run its parts against Kafka's {@code MockConsumer}. */
final class PollerFixtures {

    static final String TOPIC = "orders";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private PollerFixtures() {
    }

    /** A builder with what every consumer needs; the handler never runs in these tests. */
    static ParallelConsumerBuilder<String, String> builder() {
        return ParallelConsumer.<String, String>builder()
                .consumerProperty("bootstrap.servers", "unused:9092")
                .consumerProperty("group.id", "poller-tests")
                .keyDeserializer(new StringDeserializer())
                .valueDeserializer(new StringDeserializer())
                .topics(TOPIC)
                .handler(record -> { });
    }

    static ParallelConsumerOptions<String, String> options() {
        return builder().options();
    }

    /**
     * A {@code MockConsumer} that keeps every commit (its own {@code committed} reports offset 0 for any partition
     * not assigned any more, and refuses once closed) and fails the next synchronous commit on request, as a
     * coordinator that times out would.
     */
    static final class RecordingConsumer extends MockConsumer<String, String> {

        final Map<TopicPartition, OffsetAndMetadata> commits = new ConcurrentHashMap<>();
        final AtomicInteger commitCount = new AtomicInteger();
        volatile boolean failNextCommit;

        RecordingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            if (failNextCommit) {
                failNextCommit = false;
                throw new TimeoutException("commit timed out");
            }
            super.commitSync(offsets, timeout);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            commitCount.incrementAndGet();
            commits.putAll(offsets);
            super.commitAsync(offsets, callback);
        }

        /** The offset last committed for the partition, or {@code null}. */
        Long committedOffset(TopicPartition tp) {
            OffsetAndMetadata committed = commits.get(tp);
            return committed == null ? null : committed.offset();
        }
    }

    static List<ConsumerRecord<String, String>> records(TopicPartition tp, long from, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (long offset = from; offset < from + count; offset++) {
            records.add(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, "k" + offset, "v" + offset));
        }
        return records;
    }
}
