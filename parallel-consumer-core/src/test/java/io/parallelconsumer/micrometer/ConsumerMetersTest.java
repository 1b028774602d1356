package io.parallelconsumer.micrometer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parallelconsumer.AttemptResult;
import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerSnapshot.Counters;
import io.parallelconsumer.ConsumerSnapshot.TopicCounters;
import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.PartitionSnapshot;
import io.parallelconsumer.testing.SnapshotOnlyConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meter bookkeeping without a broker: created once, tagged consistently, removed with their partitions, counting
 * what the consumers' tallies say across restarts. The consumers are stand-ins whose snapshots the tests set.
 */
class ConsumerMetersTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ParallelConsumerMetrics metrics = new ParallelConsumerMetrics(registry);

    @Test
    void metersAreCreatedOnceHoweverManyRecordsAndCommitsThereAre() {
        ConsumerObserver observer = metrics.observer("orders");
        StandIn consumer = new StandIn(counters(Map.of("t", succeeded(1001)), 1001));
        observer.started(consumer.consumer);
        observer.partitionsAssigned(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1)));
        observer.attemptEnded(new ConsumerRecord<>("t", 0, 0, "k", "v"), AttemptResult.SUCCESS, 1000);
        int meters = registry.getMeters().size();

        for (int i = 1; i <= 1000; i++) {
            observer.attemptEnded(new ConsumerRecord<>("t", i % 2, i, "k", "v"), AttemptResult.SUCCESS, 1000);
        }
        observer.partitionsAssigned(List.of(new TopicPartition("t", 0)));

        assertThat(registry.getMeters()).hasSize(meters);
        assertThat(records("orders", "t", "success")).isEqualTo(1001);
        assertThat(registry.get("parallel.consumer.commits").tags("result", "success").functionCounter().count())
                .isEqualTo(1001);
        assertThat(registry.get("parallel.consumer.processing").tags("result", "success").timer().count())
                .isEqualTo(1001);
    }

    @Test
    void aTopicCountsFromZeroAsSoonAsOneOfItsPartitionsIsAssigned() {
        ConsumerObserver observer = metrics.observer("orders");
        observer.started(new StandIn(counters(Map.of(), 0)).consumer);

        observer.partitionsAssigned(List.of(new TopicPartition("t", 0)));

        assertThat(records("orders", "t", "success")).isZero();
        assertThat(records("orders", "t", "skipped")).isZero();
    }

    @Test
    void countsOutliveTheConsumerThatMadeThemWhenOneOfTheSameNameFollows() {
        ConsumerObserver observer = metrics.observer("orders");
        observer.partitionsAssigned(List.of(new TopicPartition("t", 0)));
        assertThat(records("orders", "t", "success")).as("before any consumer").isZero();
        StandIn first = new StandIn(counters(Map.of("t", succeeded(5)), 2));
        observer.started(first.consumer);
        assertThat(records("orders", "t", "success")).isEqualTo(5);

        first.counters = counters(Map.of("t", succeeded(7)), 3); // what it finished while stopping
        observer.stopped(first.consumer);
        assertThat(records("orders", "t", "success")).as("its final count").isEqualTo(7);
        assertThat(registry.find("parallel.consumer.in.flight").gauges()).as("gauges go with it").isEmpty();

        observer.started(new StandIn(counters(Map.of("t", succeeded(4), "u", succeeded(1)), 1)).consumer);
        observer.partitionsAssigned(List.of(new TopicPartition("u", 0)));
        assertThat(records("orders", "t", "success")).isEqualTo(11);
        assertThat(records("orders", "u", "success")).isEqualTo(1);
        assertThat(registry.get("parallel.consumer.commits").tags("result", "success").functionCounter().count())
                .isEqualTo(4);
    }

    @Test
    void aConsumerThatStopsAfterItsSuccessorStartedLeavesTheSuccessorsGaugesAndAddsItsCounts() {
        ConsumerObserver observer = metrics.observer("orders");
        StandIn old = new StandIn(counters(Map.of("t", succeeded(3)), 0));
        StandIn successor = new StandIn(counters(Map.of("t", succeeded(2)), 0));
        successor.inFlight = 9;
        observer.started(old.consumer);
        observer.partitionsAssigned(List.of(new TopicPartition("t", 0)));
        observer.started(successor.consumer);

        observer.stopped(old.consumer);

        assertThat(registry.get("parallel.consumer.in.flight").gauge().value()).isEqualTo(9);
        assertThat(records("orders", "t", "success")).isEqualTo(5);
        observer.stopped(old.consumer); // told twice: counted once
        assertThat(records("orders", "t", "success")).isEqualTo(5);
    }

    @Test
    void everyMeterOfOneNameHasTheSameTagKeys() {
        ConsumerObserver observer = metrics.observer("orders");
        observer.partitionsAssigned(List.of(new TopicPartition("a", 0), new TopicPartition("b", 3)));
        observer.attemptEnded(new ConsumerRecord<>("a", 0, 0, "k", "v"), AttemptResult.SUCCESS, 1);
        observer.attemptEnded(new ConsumerRecord<>("b", 3, 0, "k", "v"), AttemptResult.RETRY, 1);
        metrics.observer("payments").attemptEnded(new ConsumerRecord<>("a", 0, 0, "k", "v"), AttemptResult.FAILURE, 1);

        registry.getMeters().stream()
                .collect(Collectors.groupingBy(meter -> meter.getId().getName()))
                .forEach((name, meters) -> assertThat(meters)
                        .extracting(meter -> meter.getId().getTags().stream().map(tag -> tag.getKey()).toList())
                        .as(name).containsOnly(meters.get(0).getId().getTags().stream().map(tag -> tag.getKey())
                                .toList()));
        assertThat(registry.getMeters()).noneMatch(meter -> meter.getId().getTags().stream()
                .anyMatch(tag -> tag.getKey().equals("key")));
    }

    @Test
    void revokedPartitionsLoseTheirGaugesAndOthersKeepThem() {
        ConsumerObserver observer = metrics.observer("orders");
        observer.partitionsAssigned(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1)));
        assertThat(registry.find("parallel.consumer.lag").gauges()).hasSize(2);

        observer.partitionsRevoked(List.of(new TopicPartition("t", 0)));

        assertThat(registry.find("parallel.consumer.lag").gauges()).singleElement()
                .satisfies(gauge -> assertThat(gauge.getId().getTag("partition")).isEqualTo("1"));
        assertThat(registry.find("parallel.consumer.blocking.duration").tag("partition", "0").timeGauges()).isEmpty();
        // No consumer has started, so there is nothing to read: NaN rather than a made-up zero.
        assertThat(registry.get("parallel.consumer.lag").gauge().value()).isNaN();
    }

    @Test
    void closingRemovesEveryMeterAndRegistersNoMore() {
        ConsumerObserver observer = metrics.observer("orders");
        observer.started(new StandIn(counters(Map.of("t", succeeded(1)), 1)).consumer);
        observer.partitionsAssigned(List.of(new TopicPartition("t", 0)));
        observer.attemptEnded(new ConsumerRecord<>("t", 0, 0, "k", "v"), AttemptResult.SUCCESS, 1000);
        assertThat(registry.getMeters()).isNotEmpty();

        metrics.close();

        assertThat(registry.getMeters()).isEmpty();
        observer.partitionsAssigned(List.of(new TopicPartition("t", 1)));
        observer.attemptEnded(new ConsumerRecord<>("u", 0, 0, "k", "v"), AttemptResult.SUCCESS, 1000);
        observer.started(new StandIn(counters(Map.of(), 0)).consumer);
        assertThat(registry.getMeters()).as("a late event of a closed consumer").isEmpty();
    }

    private double records(String listener, String topic, String result) {
        return registry.get("parallel.consumer.records").tags("listener", listener, "topic", topic, "result", result)
                .functionCounter().count();
    }

    private static TopicCounters succeeded(long succeeded) {
        return new TopicCounters(succeeded, 0, 0, 0, 0);
    }

    private static Counters counters(Map<String, TopicCounters> topics, long commits) {
        long succeeded = topics.values().stream().mapToLong(TopicCounters::succeeded).sum();
        return new Counters(succeeded, 0, 0, commits, 0, 0, 0, topics);
    }

    /** What a stand-in consumer reports, set by the test as a running consumer's tallies would change. */
    private static final class StandIn {

        volatile Counters counters;
        volatile int inFlight;
        final ParallelConsumer<String, String> consumer = new SnapshotOnlyConsumer(this::snapshot);

        StandIn(Counters counters) {
            this.counters = counters;
        }

        private ConsumerSnapshot snapshot() {
            return new ConsumerSnapshot("stand-in", "group", ConsumerState.RUNNING, null, null, Instant.now(), 10,
                    inFlight, 0, 0, 0, null, counters, List.<PartitionSnapshot>of());
        }
    }
}
