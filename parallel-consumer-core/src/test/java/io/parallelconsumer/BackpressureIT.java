package io.parallelconsumer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.parallelconsumer.testing.ProcessingLog;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Backpressure on a real broker: bounded in-flight records, pause and resume, membership kept while paused. */
class BackpressureIT {

    private static final int MAX_IN_FLIGHT = 100;
    private static final int MAX_POLL_RECORDS = 50;

    @Test
    void aSlowHandlerPausesFetchingAtTheHighMarkAndResumesLater() throws Exception {
        String topic = TestBroker.createTopic("backpressure", 3);
        Map<String, Integer> expected = TestBroker.produceSequenced(topic, 3000, 50);
        ProcessingLog log = new ProcessingLog();
        Map<String, Object> props = TestBroker.consumerProperties(TestBroker.uniqueName("g"));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(props)
                .topics(topic)
                .concurrency(4)
                .maxInFlight(MAX_IN_FLIGHT)
                .handler(record -> log.process(record, () -> LockSupport.parkNanos(1_000_000)))
                .build();

        AtomicInteger maxInFlightSeen = new AtomicInteger();
        AtomicBoolean sawAllPaused = new AtomicBoolean();
        AtomicBoolean sawResumedAfterPause = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                ConsumerSnapshot snapshot = consumer.snapshot();
                maxInFlightSeen.accumulateAndGet(snapshot.inFlight(), Math::max);
                boolean allPaused = !snapshot.partitions().isEmpty()
                        && snapshot.partitions().stream().allMatch(PartitionSnapshot::paused);
                boolean nonePaused = snapshot.partitions().stream().noneMatch(PartitionSnapshot::paused);
                if (allPaused) {
                    sawAllPaused.set(true);
                }
                else if (nonePaused && sawAllPaused.get() && log.processed() < 3000) {
                    sawResumedAfterPause.set(true);
                }
                LockSupport.parkNanos(200_000);
            }
        });
        try {
            consumer.start();
            sampler.start();
            await().atMost(Duration.ofMinutes(1)).until(() -> log.processed() >= 3000);
        }
        finally {
            done.set(true);
            sampler.join();
            consumer.close(Duration.ofSeconds(10));
        }

        assertThat(log.exactOrderViolations(expected)).isEmpty();
        assertThat(maxInFlightSeen.get()).as("in-flight bound: max in flight plus one poll")
                .isLessThanOrEqualTo(MAX_IN_FLIGHT + MAX_POLL_RECORDS);
        assertThat(sawAllPaused).as("paused").isTrue();
        assertThat(sawResumedAfterPause).as("resumed before the end").isTrue();
        assertThat(consumer.snapshot().counters().backpressurePauses()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aStuckKeyPausesOnlyItsPartitionAndTheGroupMembershipHolds() throws Exception {
        String topic = TestBroker.createTopic("backpressure-stuck", 2);
        try (KafkaProducer<String, String> producer = TestBroker.producer()) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "stuck", "stuck:" + i));
            }
            for (int i = 0; i < 2000; i++) {
                producer.send(new ProducerRecord<>(topic, 1, "k" + i % 20, "k" + i % 20 + ":" + i / 20));
            }
        }
        CountDownLatch release = new CountDownLatch(1);
        ProcessingLog log = new ProcessingLog();
        Map<String, Object> props = TestBroker.consumerProperties(TestBroker.uniqueName("g"));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        // If the poller stopped polling while paused, the group would evict it after one second.
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1000);
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(props)
                .topics(topic)
                .ordering(Ordering.KEY)
                .concurrency(4)
                .maxInFlight(MAX_IN_FLIGHT)
                .handler(record -> log.process(record, () -> {
                    if ("stuck".equals(record.key())) {
                        awaitUninterruptibly(release);
                    }
                }))
                .build();
        try {
            consumer.start();
            // Everything of the healthy partition gets through while the stuck key holds its own partition.
            await().atMost(Duration.ofMinutes(1)).until(() -> log.processed() >= 2000);
            PartitionSnapshot stuck = partition(consumer.snapshot(), 0);
            assertThat(stuck.paused()).isTrue();
            assertThat(stuck.blockingOffset()).isZero();
            assertThat(partition(consumer.snapshot(), 1).paused()).isFalse();

            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
                ConsumerSnapshot snapshot = consumer.snapshot();
                return snapshot.state() == ConsumerState.RUNNING && snapshot.partitions().size() == 2
                        && snapshot.partitions().stream().allMatch(p -> p.epoch() == 1);
            });

            release.countDown();
            await().atMost(Duration.ofMinutes(1)).until(() -> log.processed() >= 2200);
        }
        finally {
            release.countDown();
            consumer.close(Duration.ofSeconds(10));
        }
        assertThat(TestBroker.committedTotal(consumer.options().groupId(), topic, 2)).isEqualTo(2200);
    }

    private static PartitionSnapshot partition(ConsumerSnapshot snapshot, int partition) {
        return snapshot.partitions().stream().filter(p -> p.partition() == partition).findFirst().orElseThrow();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                if (latch.await(10, TimeUnit.SECONDS)) {
                    break;
                }
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
