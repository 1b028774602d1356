package io.parallelconsumer.validation.performance;

import java.util.List;

import io.parallelconsumer.validation.process.ProcessUsage;

/**
 * The figures of one run of a performance test.
 *
 * @param producedRate records acknowledged per second while sending (live loads)
 * @param consumedRate records processed per second, from the first processing's start to the last one's end
 * @param latency send to processed (first processings); for a backlog mostly time spent waiting in it
 * @param startupSeconds from the consumer process's start to its first record processed
 * @param drainSeconds from the consumer process's start to the last record processed
 * @param processes CPU and memory of the broker, the producer and the consumer during the run
 */
public record PerformanceRun(int round, long acknowledged, long lost, long duplicates, double producedRate,
        double consumedRate, Latency latency, double startupSeconds, double drainSeconds,
        List<ProcessUsage> processes) {
}
