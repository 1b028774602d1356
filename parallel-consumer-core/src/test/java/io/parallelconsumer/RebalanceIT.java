package io.parallelconsumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.parallelconsumer.testing.ProcessingLog;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second consumer joins the group and leaves it again while records keep arriving: nothing is lost, each key
 * stays in order, and - because revoked partitions are drained and committed before they move - nothing is
 * processed twice. For the classic protocol with eager and cooperative assignors, and for KIP-848.
 */
class RebalanceIT {

    private static final int PARTITIONS = 6;
    private static final int RECORDS = 12_000;
    private static final int KEYS = 300;

    @ParameterizedTest
    @ValueSource(strings = {"classic-eager", "classic-cooperative", "consumer"})
    void consumerJoiningAndLeavingMidStreamLosesNothingAndKeepsKeyOrder(String protocol) throws Exception {
        joinAndLeaveMidStream(protocol, KEYS, 2_000_000);
    }

    /**
     * The same with records that take no time and few keys, so that every burst queues several records per key and
     * workers take them in batches: batches cut short by a revocation must neither lose nor repeat a record.
     */
    @ParameterizedTest
    @ValueSource(strings = {"classic-cooperative", "consumer"})
    void fastRecordsTakenInBatchesSurviveTheSameRebalances(String protocol) throws Exception {
        joinAndLeaveMidStream(protocol, 12, 0);
    }

    private void joinAndLeaveMidStream(String protocol, int keys, long handlerNanos) throws Exception {
        String topic = TestBroker.createTopic("rebalance", PARTITIONS);
        String group = TestBroker.uniqueName("g");
        ProcessingLog log = new ProcessingLog();
        AtomicInteger produced = new AtomicInteger();
        Map<String, Integer> expected = new HashMap<>();

        ParallelConsumer<String, String> first = consumer(protocol, group, topic, log, "first", handlerNanos);
        ParallelConsumer<String, String> second = consumer(protocol, group, topic, log, "second", handlerNanos);
        Thread producer = new Thread(() -> produceSlowly(topic, keys, expected, produced));
        try {
            first.start();
            producer.start();
            await().atMost(Duration.ofMinutes(1)).until(() -> produced.get() >= RECORDS / 3);
            second.start();
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> second.snapshot().counters().succeeded() > 0 && produced.get() >= 2 * RECORDS / 3);
            second.close(Duration.ofSeconds(10));
            producer.join();
            await().atMost(Duration.ofMinutes(1)).until(() -> log.processed() >= RECORDS);
        }
        finally {
            first.close(Duration.ofSeconds(10));
            second.close(Duration.ofSeconds(10));
        }

        assertThat(second.snapshot().counters().succeeded()).as("the second consumer took part").isPositive();
        assertThat(first.state()).isEqualTo(ConsumerState.STOPPED);
        assertThat(log.atLeastOnceOrderViolations(expected)).isEmpty();
        assertThat(log.exactOrderViolations(expected)).as("no duplicates across clean rebalances").isEmpty();
        assertThat(TestBroker.committedTotal(group, topic, PARTITIONS)).isEqualTo(RECORDS);
    }

    private static ParallelConsumer<String, String> consumer(String protocol, String group, String topic,
            ProcessingLog log, String name, long handlerNanos) {
        Map<String, Object> props = TestBroker.consumerProperties(group);
        switch (protocol) {
            case "classic-eager" -> props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    RangeAssignor.class.getName());
            case "classic-cooperative" -> props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    CooperativeStickyAssignor.class.getName());
            case "consumer" -> props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
            default -> throw new IllegalArgumentException(protocol);
        }
        return ParallelConsumer.<String, String>builder()
                .name(group + "-" + name)
                .consumerProperties(props)
                .topics(topic)
                .ordering(Ordering.KEY)
                .concurrency(8)
                .commitInterval(Duration.ofMillis(200))
                .handler(record -> log.process(record, () -> {
                    if (handlerNanos > 0) {
                        LockSupport.parkNanos(handlerNanos);
                    }
                }))
                .build();
    }

    /** Produces sequenced records in small bursts, so that processing runs alongside the rebalances. */
    private static void produceSlowly(String topic, int keys, Map<String, Integer> perKey, AtomicInteger produced) {
        Random random = new Random(42);
        try (KafkaProducer<String, String> producer = TestBroker.producer()) {
            for (int i = 0; i < RECORDS; i++) {
                String key = "k" + random.nextInt(keys);
                int sequence;
                synchronized (perKey) {
                    sequence = perKey.merge(key, 1, Integer::sum) - 1;
                }
                producer.send(new ProducerRecord<>(topic, key, key + ":" + sequence));
                if (i % 200 == 199) {
                    producer.flush();
                    produced.set(i + 1);
                    LockSupport.parkNanos(100_000_000); // about 2,000 records/s, half the consumers' pace
                }
            }
            producer.flush();
            produced.set(RECORDS);
        }
    }
}
