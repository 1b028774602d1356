package io.parallelconsumer.benchmarks.jmh;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parallelconsumer.AttemptResult;
import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.internal.events.Observers;
import io.parallelconsumer.micrometer.ParallelConsumerMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the Micrometer meters add to each processed record: one {@code attemptEnded(SUCCESS)} through the guarded
 * observer chain, i.e. the processing timer and the latency timer of a Prometheus registry (the records counter
 * reads the consumer's own tally when scraped), with and without percentile histograms; on two threads, as workers
 * report side by side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class MetricsObserverBenchmark {

    @Param({ "false", "true" })
    public boolean histograms;

    private ConsumerObserver observer;
    private ConsumerRecord<String, String> record;

    @Setup
    public void setUp() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (histograms) {
            registry.config().meterFilter(new MeterFilter() {
                @Override
                public DistributionStatisticConfig configure(Meter.Id id,
                        DistributionStatisticConfig config) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
                }
            });
        }
        observer = Observers.of(List.of(new ParallelConsumerMetrics(registry).observer("bench")));
        record = new ConsumerRecord<>("orders", 3, 42L, System.currentTimeMillis(), null, 0, 0, "key", "value",
                new RecordHeaders(), Optional.empty());
    }

    @Benchmark
    public void recordSucceeded() {
        observer.attemptEnded(record, AttemptResult.SUCCESS, 5_000);
    }
}
