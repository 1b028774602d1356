package io.parallelconsumer.validation.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.parallelconsumer.validation.Status;
import io.parallelconsumer.validation.delivery.Check;
import io.parallelconsumer.validation.delivery.DeliveryResult;
import io.parallelconsumer.validation.performance.Latency;
import io.parallelconsumer.validation.performance.Load;
import io.parallelconsumer.validation.performance.PerformanceResult;
import io.parallelconsumer.validation.performance.PerformanceRun;
import io.parallelconsumer.validation.performance.Spread;
import io.parallelconsumer.validation.process.ProcessUsage;
import io.parallelconsumer.validation.run.Profile;
import io.parallelconsumer.validation.verify.Fault;
import io.parallelconsumer.validation.verify.GroupVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The reports are written from the JSON results alone, with their figures, failures and advice. */
class ReportsTests {

    @TempDir
    Path results;

    @Test
    void theDeliveryReportCarriesEveryFigureAFailureAndAdviceFromTheMeasurement() throws IOException {
        GroupVerdict verdict = new GroupVerdict("restarted", 27_564, 28_765, 1, 0, 1_201, 0, 0, 0, 0, 7178.5, 394.8,
                List.of(new GroupVerdict.FaultRecovery("kill-consumer", "a-1", 1, 7088.7, 394.8, 1_201)),
                List.of("lost 3@17 (k5#2, acknowledged at 1500)"), List.of("1 acknowledged records lost"));
        Results.write(results.resolve("delivery/consumer-restart.json"), new DeliveryResult("consumer-restart",
                "Kills an instance.", Status.FAILED, "2026-12-08T00:00:00Z", 71, 42, 1, Profile.QUICK,
                Environment.capture(), 0, List.of(new Fault("kill-consumer", "a-1", 1, Set.of("a-1"), Map.of(0, 5L),
                        true)), List.of(verdict), List.of(new Check("instances killed and started again", true,
                                "1 kills, 3 starts")), null));

        List<Path> written = Reports.write(results);

        assertThat(written).containsExactly(results.resolve("delivery-guarantees.md"));
        String report = Files.readString(written.get(0));
        assertThat(report).contains("| consumer-restart | failed | 1 | 1 | 27,564 | 1 | 1,201 (0) | 0 | 0 | 0 | 7.2 |")
                .contains("| restarted | kill-consumer | a-1 | 7.09 | 0.39 | 1,201 |")
                .contains("- `lost 3@17 (k5#2, acknowledged at 1500)`")
                .contains("| instances killed and started again | pass | 1 kills, 3 starts |")
                // 1,201 records redone at 500 records/s is 2.4 s of load: more than the 1 s commit interval.
                .contains("redid 1201 records per kill, 2.4 s of load")
                // The partition waited longer than 0.8 of the 6 s session timeout.
                .contains("waited up to 7.1 s");
    }

    @Test
    void thePerformanceReportCarriesEveryRunTheMedianAndTheGoals() throws IOException {
        Load load = new Load("throughput", "1,000 records/s for 60 s, 5 KB values", 1000, 60, 0, 5120);
        List<PerformanceRun> runs = List.of(run(1, 20), run(2, 30), run(3, 140));
        Results.write(results.resolve("performance/throughput.json"), new PerformanceResult("throughput",
                load.description(), Status.PASSED, "full", 7, "2026-12-08T00:00:00Z", load, Environment.capture(),
                runs, Spread.of(runs, PerformanceRun::producedRate), Spread.of(runs, PerformanceRun::consumedRate),
                Spread.of(runs, r -> r.latency().p50()), Spread.of(runs, r -> r.latency().p95()),
                Spread.of(runs, r -> r.latency().p99()), Spread.of(runs, PerformanceRun::startupSeconds),
                Spread.of(runs, PerformanceRun::drainSeconds), List.of(new PerformanceResult.Goal(
                        "p95 end-to-end latency", "< 100 ms", "30.0 ms", true)), null));

        String report = Files.readString(Reports.write(results).get(0));

        assertThat(report).contains("| throughput | passed | 1,000 | 990 | 10.0 | 30.0 [20.0, 140.0] |")
                .contains("| p95 end-to-end latency | < 100 ms | 30.0 ms | yes |")
                .contains("| 3 | 60,000 | 0 | 0 | 1,000 | 990 | 10.0 | 140.0 |")
                .contains("| 1 | consumer | 50 | 90 | 300 | 350 |");
    }

    @Test
    void noResultsIsAnErrorThatSaysWhatToRunFirst() {
        assertThatIllegalStateException().isThrownBy(() -> Reports.write(results))
                .withMessageContaining("run the delivery or performance suite");
    }

    private static PerformanceRun run(int round, double p95) {
        return new PerformanceRun(round, 60_000, 0, 0, 1000, 990, new Latency(60_000, 10, p95, p95, p95, p95), 4,
                64, List.of(new ProcessUsage("consumer", 50, 90, 300, 350)));
    }
}
