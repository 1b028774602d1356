package io.parallelconsumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import io.parallelconsumer.testing.ProcessingLog;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What is committed on close, and where the next consumer of the group starts. */
class CommitAndRestartIT {

    private static final int PARTITIONS = 3;

    @Test
    void aConsumerOfTheGroupAfterACleanCloseReceivesNothingAlreadyDone() {
        String topic = TestBroker.createTopic("commit-close", PARTITIONS);
        String group = TestBroker.uniqueName("g");
        Map<String, Integer> expected = TestBroker.produceSequenced(topic, 5000, 50);
        ProcessingLog log = new ProcessingLog();

        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(group))
                .topics(topic)
                .concurrency(16)
                .commitInterval(Duration.ofMinutes(10)) // only the close may commit here
                .handler(record -> log.process(record, () -> { }))
                .build();
        consumer.start();
        await().atMost(Duration.ofMinutes(1)).until(() -> log.processed() >= 5000);
        consumer.close(Duration.ofSeconds(10));
        assertThat(log.exactOrderViolations(expected)).isEmpty();

        // A plain consumer of the same group starts at the end of every partition.
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        try (KafkaConsumer<String, String> next = new KafkaConsumer<>(TestBroker.consumerProperties(group))) {
            next.assign(partitions);
            Map<TopicPartition, Long> ends = next.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                assertThat(next.position(tp)).as("start of %s", tp).isEqualTo(ends.get(tp));
            }
        }
    }

    @Test
    void aRestartResumesFromTheCommittedOffset() {
        String topic = TestBroker.createTopic("commit-restart", PARTITIONS);
        String group = TestBroker.uniqueName("g");
        Map<String, Integer> expected = TestBroker.produceSequenced(topic, 6000, 60);
        ProcessingLog log = new ProcessingLog();
        Map<Integer, Long> firstOffsetSeenAfterRestart = new ConcurrentHashMap<>();

        ParallelConsumer<String, String> first = consumer(group, topic, log, record -> { });
        first.start();
        await().atMost(Duration.ofMinutes(1)).until(() -> log.processed() >= 1500);
        first.close(Duration.ofSeconds(10));
        long afterFirst = log.processed();
        assertThat(afterFirst).as("stopped mid-stream").isLessThan(6000);
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        Map<TopicPartition, Long> committed = TestBroker.committedOffsets(group, partitions);
        assertThat(committed.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(afterFirst);

        ParallelConsumer<String, String> second = consumer(group, topic, log,
                record -> firstOffsetSeenAfterRestart.merge(record.partition(), record.offset(), Math::min));
        second.start();
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> log.processed() >= 6000);
        }
        finally {
            second.close(Duration.ofSeconds(10));
        }
        assertThat(log.exactOrderViolations(expected)).isEmpty();
        for (TopicPartition tp : partitions) {
            if (firstOffsetSeenAfterRestart.containsKey(tp.partition())) {
                assertThat(firstOffsetSeenAfterRestart.get(tp.partition())).isEqualTo(committed.get(tp));
            }
        }
    }

    private static ParallelConsumer<String, String> consumer(String group, String topic, ProcessingLog log,
            java.util.function.Consumer<ConsumerRecord<String, String>> observer) {
        return ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(group))
                .topics(topic)
                .ordering(Ordering.KEY)
                .concurrency(8)
                .handler(record -> log.process(record, () -> {
                    observer.accept(record);
                    LockSupport.parkNanos(500_000);
                }))
                .build();
    }
}
