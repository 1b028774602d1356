package io.parallelconsumer.validation.performance;

import java.util.List;

import io.parallelconsumer.validation.report.Environment;

/**
 * One performance test over its runs, as written to JSON and read back by the report.
 *
 * @param status one of {@link io.parallelconsumer.validation.Status}
 * @param goals each goal against the median of the runs
 */
public record PerformanceResult(String test, String description, String status, String profile, long seed,
        String startedAt, Load load, Environment environment, List<PerformanceRun> runs,
        Spread producedRate, Spread consumedRate, Spread p50, Spread p95, Spread p99, Spread startupSeconds,
        Spread drainSeconds, List<Goal> goals, String error) {

    /** A goal: what it asks, what was measured (median of the runs) and whether it was met. */
    public record Goal(String name, String target, String measured, boolean met) {
    }
}
