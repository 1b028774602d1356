package io.parallelconsumer.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes one JSON file per run and one Markdown table comparing the runs of an invocation. */
final class ResultWriter {

    private final Path directory;
    private final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    ResultWriter(Path directory) {
        this.directory = directory;
    }

    Path writeJson(RunResult result) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(stamp + "-" + result.run() + "-r" + result.round() + ".json");
        Files.writeString(file, json.writeValueAsString(result) + "\n");
        return file;
    }

    Path writeMarkdown(HarnessOptions options, List<RunResult> results) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(stamp + ".md");
        Files.writeString(file, markdown(options, results));
        return file;
    }

    static String markdown(HarnessOptions options, List<RunResult> results) {
        StringBuilder out = new StringBuilder();
        RunResult any = results.get(0);
        out.append("# Benchmark harness, ").append(any.java() == null ? "" : "Java " + any.java()).append('\n')
                .append('\n')
                .append(String.format(Locale.ROOT, "%,d records, %,d keys, %d partitions, %d-byte values, %s load%s; "
                        + "work per record: sleep %s, spin %s; KEY ordering, @ParallelListener concurrency %d; "
                        + "broker: %s.%n%n", options.records, options.keys, options.partitions, options.payloadBytes,
                        any.load(), any.rate() > 0 ? " at " + any.rate() + "/s" : "",
                        DurationStyle.SIMPLE.print(options.sleep),
                        DurationStyle.SIMPLE.print(options.spin),
                        options.concurrency, any.broker()))
                .append("| run | concurrency | records/s | ceiling | of ceiling | p50 ms | p95 ms | p99 ms | "
                        + "p99.9 ms | processed | missing | duplicates | order violations | peak heap MB | CPU s |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RunResult r : results) {
            if (r.skipped() != null) {
                out.append("| ").append(r.run()).append(" | skipped: ").append(r.skipped())
                        .append(" |||||||||||||\n");
                continue;
            }
            out.append(String.format(Locale.ROOT,
                    "| %s | %d | %,.0f | %s | %s | %.1f | %.1f | %.1f | %.1f | %,d | %d | %d | %d | %.0f | %.1f |%n",
                    r.run() + (r.round() > 1 ? " #" + r.round() : ""), r.concurrency(), r.throughput(),
                    r.ceiling() == null ? "-" : String.format(Locale.ROOT, "%,.0f", r.ceiling()),
                    r.ratioToCeiling() == null ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * r.ratioToCeiling()),
                    r.latency().p50(), r.latency().p95(), r.latency().p99(), r.latency().p999(), r.processed(),
                    r.missing(), r.duplicates(), r.orderViolations(), r.peakHeapMb(), r.cpuSeconds()));
        }
        out.append("\nLatency runs from the producer's send to the end of the record's work")
                .append(any.load().equals("backlog") ? ", so with a backlog it is mostly time spent waiting in it"
                        : "")
                .append(". records/s counts from the first record processed to the last.\n");
        return out.toString();
    }
}
