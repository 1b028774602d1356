package io.parallelconsumer;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import io.parallelconsumer.testing.ConsumerRuns;
import io.parallelconsumer.testing.ProcessingLog;
import io.parallelconsumer.testing.TestBroker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-key order under concurrency, on a real broker, over few and over many keys. */
class KeyOrderingIT {

    @ParameterizedTest(name = "{0} records over {1} keys")
    @CsvSource({"100000, 10", "100000, 10000"})
    void everyKeyRunsInSequenceWithNothingMissingOrDuplicated(int records, int keys) {
        String topic = TestBroker.createTopic("key-order", 6);
        Map<String, Integer> expected = TestBroker.produceSequenced(topic, records, keys);
        ProcessingLog log = new ProcessingLog();

        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .ordering(Ordering.KEY)
                .concurrency(64)
                .handler(record -> log.process(record, () -> {
                    // Uneven work, so that records complete out of offset order.
                    if (ThreadLocalRandom.current().nextInt(200) == 0) {
                        LockSupport.parkNanos(1_000_000);
                    }
                }))
                .build();
        ConsumerRuns.runUntil(consumer, () -> log.processed() >= records);

        assertThat(log.exactOrderViolations(expected)).isEmpty();
        assertThat(log.processed()).isEqualTo(records);
        assertThat(consumer.state()).isEqualTo(ConsumerState.STOPPED);
        assertThat(TestBroker.committedTotal(consumer.options().groupId(), topic, 6)).isEqualTo(records);
    }
}
