package io.parallelconsumer.validation.report;

import java.util.List;
import java.util.Locale;

import io.parallelconsumer.validation.performance.PerformanceResult;
import io.parallelconsumer.validation.performance.PerformanceRun;
import io.parallelconsumer.validation.performance.Spread;
import io.parallelconsumer.validation.process.ProcessUsage;

/** {@code performance-baseline.md}: every figure of every performance run, the goals, and what to tune. */
final class PerformanceReport {

    private PerformanceReport() {
    }

    static String markdown(List<PerformanceResult> results) {
        PerformanceResult any = results.get(0);
        Environment env = any.environment();
        StringBuilder out = new StringBuilder();
        out.append("# Performance baseline\n\n")
                .append("Generated from the JSON results of the validation suite (`validation/run.sh performance`); ")
                .append("nothing here is written by hand.\n\n")
                .append("## Environment\n\n")
                .append("- build: ").append(env.commit()).append('\n')
                .append("- Java: ").append(env.java()).append(" (").append(env.vm()).append(")\n")
                .append("- machine: ").append(env.cores()).append(" cores, ").append(env.memoryMb()).append(" MB, ")
                .append(env.cpu()).append(", ").append(env.os()).append('\n')
                .append("- Kafka: clients ").append(env.kafkaClients())
                .append("; one broker (KRaft, broker and controller) in its own JVM on the same machine\n")
                .append("- Spring Boot: ").append(env.springBoot()).append('\n')
                .append("- profile: ").append(any.profile()).append(", ").append(any.runs().size())
                .append(" run(s) per test, each on a fresh broker and topic (12 partitions), seed ")
                .append(any.seed()).append(" + run\n")
                .append("- consumer: the validation application on the starter, one instance: KEY ordering, ")
                .append("concurrency 64, 2 ms of work per record (a sleep), commit interval 1 s\n")
                .append("- producer: its own process, acks=all, idempotent, linger 2 ms; keys at random from the ")
                .append("seed\n\n");

        out.append("## Summary (median of the runs, [lowest, highest])\n\n")
                .append("| test | result | sent/s | processed/s | p50 ms | p95 ms | p99 ms | startup s | drain s |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PerformanceResult r : results) {
            out.append("| ").append(r.test()).append(" | ").append(r.status()).append(" | ")
                    .append(r.load().rate() > 0 ? spread(r.producedRate(), "%,.0f") : "-").append(" | ")
                    .append(spread(r.consumedRate(), "%,.0f")).append(" | ")
                    .append(spread(r.p50(), "%.1f")).append(" | ")
                    .append(spread(r.p95(), "%.1f")).append(" | ")
                    .append(spread(r.p99(), "%.1f")).append(" | ")
                    .append(spread(r.startupSeconds(), "%.1f")).append(" | ")
                    .append(r.load().rate() > 0 ? "-" : spread(r.drainSeconds(), "%.1f")).append(" |\n");
        }
        out.append("\nLatency runs from the producer's send to the end of the record's work; with a backlog it is ")
                .append("mostly time spent waiting in it. processed/s counts from the first record's start to the ")
                .append("last one's end. Startup: from the consumer process's start to its first record done.\n");

        for (PerformanceResult r : results) {
            out.append("\n## ").append(r.test()).append(" - ").append(r.status()).append("\n\n")
                    .append(r.description()).append(".\n");
            if (r.error() != null) {
                out.append("\nError: `").append(r.error().replace('`', '\'')).append("`\n");
            }
            out.append("\n| goal | target | measured | met |\n|---|---|---|---|\n");
            r.goals().forEach(g -> out.append("| ").append(g.name()).append(" | ").append(g.target()).append(" | ")
                    .append(g.measured()).append(" | ").append(g.met() ? "yes" : "NO").append(" |\n"));
            out.append("\n| run | acknowledged | lost | duplicates | sent/s | processed/s | p50 ms | p95 ms | p99 ms "
                    + "| p99.9 ms | max ms | startup s | drain s |\n")
                    .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (PerformanceRun run : r.runs()) {
                out.append(String.format(Locale.ROOT, "| %d | %,d | %d | %d | %,.0f | %,.0f | %.1f | %.1f | %.1f "
                        + "| %.1f | %.1f | %.1f | %.1f |%n", run.round(), run.acknowledged(), run.lost(),
                        run.duplicates(), run.producedRate(), run.consumedRate(), run.latency().p50(),
                        run.latency().p95(), run.latency().p99(), run.latency().p999(), run.latency().max(),
                        run.startupSeconds(), run.drainSeconds()));
            }
            out.append("\n| run | process | CPU average % | CPU peak % | memory (RSS) average MB | peak MB |\n")
                    .append("|---:|---|---:|---:|---:|---:|\n");
            for (PerformanceRun run : r.runs()) {
                for (ProcessUsage p : run.processes()) {
                    out.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.0f | %.0f |%n", run.round(),
                            p.process(), p.cpuAveragePercent(), p.cpuPeakPercent(), p.rssAverageMb(),
                            p.rssPeakMb()));
                }
            }
        }

        out.append("\n## Tuning, from these figures\n\n");
        List<String> advice = Recommendations.performance(results);
        if (advice.isEmpty()) {
            out.append("Nothing measured here calls for a change of settings.\n");
        }
        advice.forEach(a -> out.append("- ").append(a).append('\n'));
        return out.toString();
    }

    private static String spread(Spread spread, String format) {
        if (spread == null || Double.isNaN(spread.median())) {
            return "-";
        }
        String median = String.format(Locale.ROOT, format, spread.median());
        if (spread.min() == spread.max()) {
            return median;
        }
        return median + " [" + String.format(Locale.ROOT, format, spread.min()) + ", "
                + String.format(Locale.ROOT, format, spread.max()) + "]";
    }
}
