package io.parallelconsumer.micrometer;

import java.util.List;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parallelconsumer.AttemptResult;
import io.parallelconsumer.ConsumerObserver;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Meter bookkeeping without a broker: created once, tagged consistently, removed with their partitions. */
class ConsumerMetersTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ParallelConsumerMetrics metrics = new ParallelConsumerMetrics(registry);

    @Test
    void metersAreCreatedOnceHoweverManyRecordsAndCommitsThereAre() {
        ConsumerObserver observer = metrics.observer("orders");
        observer.partitionsAssigned(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1)));
        observer.attemptEnded(new ConsumerRecord<>("t", 0, 0, "k", "v"), AttemptResult.SUCCESS, 1000);
        observer.commitEnded(true);
        int meters = registry.getMeters().size();

        for (int i = 1; i <= 1000; i++) {
            observer.attemptEnded(new ConsumerRecord<>("t", i % 2, i, "k", "v"), AttemptResult.SUCCESS, 1000);
            observer.commitEnded(true);
        }
        observer.partitionsAssigned(List.of(new TopicPartition("t", 0)));

        assertThat(registry.getMeters()).hasSize(meters);
        assertThat(registry.get("parallel.consumer.records").tags("listener", "orders", "topic", "t", "result",
                "success").counter().count()).isEqualTo(1001);
        assertThat(registry.get("parallel.consumer.commits").tags("result", "success").counter().count())
                .isEqualTo(1001);
        assertThat(registry.get("parallel.consumer.processing").tags("result", "success").timer().count())
                .isEqualTo(1001);
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
        assertThat(registry.find("parallel.consumer.blocking.duration").tag("partition", "0").gauges()).isEmpty();
        // No consumer has started, so there is nothing to read: NaN rather than a made-up zero.
        assertThat(registry.get("parallel.consumer.lag").gauge().value()).isNaN();
    }

    @Test
    void closingRemovesEveryMeterAndRegistersNoMore() {
        ConsumerObserver observer = metrics.observer("orders");
        observer.partitionsAssigned(List.of(new TopicPartition("t", 0)));
        observer.attemptEnded(new ConsumerRecord<>("t", 0, 0, "k", "v"), AttemptResult.SUCCESS, 1000);
        observer.commitEnded(true);
        assertThat(registry.getMeters()).isNotEmpty();

        metrics.close();

        assertThat(registry.getMeters()).isEmpty();
        observer.partitionsAssigned(List.of(new TopicPartition("t", 1)));
        observer.attemptEnded(new ConsumerRecord<>("u", 0, 0, "k", "v"), AttemptResult.SUCCESS, 1000);
        assertThat(registry.getMeters()).as("a late event of a closed consumer").isEmpty();
    }
}
