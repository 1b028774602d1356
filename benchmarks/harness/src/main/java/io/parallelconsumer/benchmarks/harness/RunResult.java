package io.parallelconsumer.benchmarks.harness;

/**
 * The outcome of one run, as written to its JSON file. Rates are records per second; latencies are end to end,
 * from the producer's send to the end of the record's work, in milliseconds.
 *
 * @param run baseline, platform, virtual or async
 * @param round which repetition (1-based)
 * @param skipped why the run did not take place, or {@code null}
 * @param java the JVM's version
 * @param broker embedded (in this JVM: CPU and heap include the broker), process, or the bootstrap servers
 * @param records records produced
 * @param keys distinct keys
 * @param partitions topic partitions
 * @param payloadBytes value size
 * @param load backlog or live
 * @param rate live production rate, 0 for unthrottled
 * @param concurrency records the consumer may process at once (the baseline: its container threads)
 * @param sleepMicros simulated I/O per record
 * @param spinMicros simulated CPU per record
 * @param processed records processed, duplicates included
 * @param missing records never processed
 * @param duplicates records processed more than once
 * @param orderViolations records processed after a later record of the same key
 * @param startupSeconds from starting the consumer to its first processed record
 * @param elapsedSeconds from the first processed record to the last
 * @param throughput distinct records over {@code elapsedSeconds}
 * @param ceiling the most the work allows: min(concurrency, keys) / (sleep + spin), and cores / spin; {@code null}
 * without work
 * @param ratioToCeiling {@code throughput / ceiling}, or {@code null}
 * @param latency end-to-end latency percentiles
 * @param peakHeapMb the highest heap use sampled during the run
 * @param cpuSeconds CPU time of this JVM during the run
 */
record RunResult(String run, int round, String skipped, String java, String broker, int records, int keys,
        int partitions, int payloadBytes, String load, int rate, int concurrency, long sleepMicros, long spinMicros,
        long processed, long missing, long duplicates, long orderViolations, double startupSeconds,
        double elapsedSeconds, double throughput, Double ceiling, Double ratioToCeiling, Latency latency,
        double peakHeapMb, double cpuSeconds) {

    /** Percentiles in milliseconds. */
    record Latency(double p50, double p95, double p99, double p999, double max) {
    }
}
