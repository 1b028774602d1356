package io.parallelconsumer;

import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.parallelconsumer.testing.ConsumerRuns;
import io.parallelconsumer.testing.ProcessingLog;
import io.parallelconsumer.testing.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What each ordering allows to run side by side, on a real broker with 3 partitions. */
class OrderingModesIT {

    private static final int PARTITIONS = 3;
    private static final int RECORDS = 3000;

    private ProcessingLog run(Ordering ordering, ProcessingLog log, String topic) {
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .ordering(ordering)
                .concurrency(32)
                .handler(record -> log.process(record, () -> LockSupport.parkNanos(200_000)))
                .build();
        ConsumerRuns.runUntil(consumer, () -> log.processed() >= RECORDS);
        return log;
    }

    @Test
    void keyOrderingRunsKeysInParallelButEachKeyInSequence() {
        String topic = TestBroker.createTopic("order-key", PARTITIONS);
        Map<String, Integer> expected = TestBroker.produceSequenced(topic, RECORDS, 100);
        ProcessingLog log = run(Ordering.KEY, new ProcessingLog(), topic);

        assertThat(log.exactOrderViolations(expected)).isEmpty();
        assertThat(log.maxRunning()).as("more records at once than partitions").isGreaterThan(PARTITIONS);
    }

    @Test
    void partitionOrderingRunsOneRecordPerPartitionAtATime() {
        String topic = TestBroker.createTopic("order-partition", PARTITIONS);
        Map<String, Integer> expected = TestBroker.produceSequenced(topic, RECORDS, 100);
        // The ordering key is the partition: two records of one partition at once is a violation.
        ProcessingLog log = run(Ordering.PARTITION, new ProcessingLog(record -> "p" + record.partition()), topic);

        assertThat(log.exactOrderViolations(expected)).isEmpty();
        assertThat(log.maxRunning()).isLessThanOrEqualTo(PARTITIONS);
    }

    @Test
    void unorderedRunsAnyRecordAndDeliversEachOnce() {
        String topic = TestBroker.createTopic("order-none", PARTITIONS);
        Map<String, Integer> expected = TestBroker.produceSequenced(topic, RECORDS, 5);
        ProcessingLog log = run(Ordering.UNORDERED,
                new ProcessingLog(record -> record.partition() + "@" + record.offset()), topic);

        assertThat(log.deliveryViolations(expected)).isEmpty();
        // 5 keys over 3 partitions: only unordered processing can run more records at once than there are keys.
        assertThat(log.maxRunning()).isGreaterThan(5);
    }
}
