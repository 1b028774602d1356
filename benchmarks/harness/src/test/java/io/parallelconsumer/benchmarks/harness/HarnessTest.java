package io.parallelconsumer.benchmarks.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * The harness end to end on its own embedded broker, with a small workload: every run consumes every record once,
 * in key order, and the JSON and Markdown results say so. (Speed is not checked here: figures come from real runs.)
 */
class HarnessTest {

    @Test
    void everyRunProcessesTheWholeWorkloadAndWritesItsResults(@TempDir Path results) throws Exception {
        HarnessOptions options = HarnessOptions.parse("--records", "2000", "--keys", "50", "--partitions", "3",
                "--sleep", "1ms", "--spin", "20us", "--concurrency", "32", "--results-dir", results.toString());

        List<RunResult> runs = Harness.run(options);

        assertThat(runs).extracting(RunResult::run).containsExactly("baseline", "platform", "virtual", "async");
        for (RunResult run : runs) {
            if (run.skipped() != null) {
                assertThat(run.run()).isEqualTo("virtual");
                assertThat(Runtime.version().feature()).isLessThan(21);
                continue;
            }
            assertThat(run.processed()).as(run.run()).isEqualTo(2000);
            assertThat(run.missing()).as(run.run()).isZero();
            assertThat(run.duplicates()).as(run.run()).isZero();
            assertThat(run.orderViolations()).as(run.run()).isZero();
            assertThat(run.throughput()).as(run.run()).isPositive();
            assertThat(run.ceiling()).as(run.run()).isEqualTo(
                    Math.min(run.concurrency(), 50) * 1e9 / 1_020_000, offset(1e-6));
            assertThat(run.latency().p50()).isLessThanOrEqualTo(run.latency().p99());
            assertThat(run.peakHeapMb()).isPositive();
        }
        assertThat(runs.get(0).concurrency()).as("the baseline runs one thread per partition").isEqualTo(3);

        List<Path> files;
        try (Stream<Path> listing = Files.list(results)) {
            files = listing.sorted().toList();
        }
        assertThat(files).as("one file per measured run; the default warm-up round is not recorded")
                .filteredOn(file -> file.toString().endsWith(".json")).hasSize(4);
        JsonNode async = JsonMapper.builder().build().readTree(files.stream()
                .filter(file -> file.toString().endsWith("-async-r1.json")).findFirst().orElseThrow().toFile());
        assertThat(async.get("processed").asLong()).isEqualTo(2000);
        assertThat(async.get("latency").get("p99").asDouble()).isPositive();
        String table = Files.readString(files.stream().filter(file -> file.toString().endsWith(".md")).findFirst()
                .orElseThrow());
        assertThat(table).contains("| baseline | 3 |", "| async | 32 |", "2,000 records, 50 keys, 3 partitions");
    }

    @Test
    void badOptionsAreAllNamedAtOnce() {
        assertThatThrownBy(() -> HarnessOptions.parse("--records", "0", "--runs", "baseline,fast", "--topic", "mine",
                "--warmup-rounds", "-1", "--bogus", "1"))
                .hasMessageContaining("--records must be at least 1")
                .hasMessageContaining("--warmup-rounds must not be negative")
                .hasMessageContaining("unknown run 'fast'")
                .hasMessageContaining("--topic must start with harness-")
                .hasMessageContaining("--bogus 1: unknown option");
        assertThat(HarnessOptions.parse("--help").help).isTrue();
    }
}
