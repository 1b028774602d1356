package io.parallelconsumer.validation.performance;

import java.util.ArrayList;
import java.util.List;

import io.parallelconsumer.validation.verify.Processed;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The figures a performance run reports, on known inputs. */
class FiguresTests {

    @Test
    void latencyRunsFromTheSendToTheEndOfTheWork() {
        List<Processed> processings = new ArrayList<>();
        // 1 ms to 100 ms, one of each.
        for (int millis = 1; millis <= 100; millis++) {
            processings.add(new Processed("a-1", 0, millis, "k", millis, 1_000_000, 1_000_000 + 500,
                    1_000_000 + millis * 1000L));
        }

        Latency latency = Latency.of(processings);

        assertThat(latency.count()).isEqualTo(100);
        assertThat(latency.p50()).isCloseTo(50, within(0.1));
        assertThat(latency.p95()).isCloseTo(95, within(0.1));
        assertThat(latency.p99()).isCloseTo(99, within(0.1));
        assertThat(latency.max()).isCloseTo(100, within(0.1));
    }

    @Test
    void spreadIsTheMedianWithTheLowestAndHighest() {
        Spread odd = Spread.of(List.of(3.0, 1.0, 2.0), Double::doubleValue);
        Spread even = Spread.of(List.of(4.0, 1.0, 2.0, 3.0), Double::doubleValue);

        assertThat(odd).isEqualTo(new Spread(2.0, 1.0, 3.0));
        assertThat(odd.relative()).isEqualTo(1.0);
        assertThat(even.median()).isEqualTo(2.5);
        assertThat(Spread.of(List.<Double>of(), Double::doubleValue).median()).isNaN();
    }

    @Test
    void aLiveLoadMeetsItsGoalsOnlyWithTheRateKeptP95UnderTheGoalAndNothingLost() {
        Load load = new Load("throughput", "", 1000, 60, 0, 5120);
        PerformanceRun good = run(0, 995, 990, 40);
        PerformanceRun slow = run(0, 995, 990, 140);
        PerformanceRun lossy = run(1, 995, 990, 40);
        PerformanceRun lagging = run(0, 995, 900, 40);

        assertThat(PerformanceSuite.goals(load, List.of(good, good, slow))).allMatch(PerformanceResult.Goal::met);
        assertThat(PerformanceSuite.goals(load, List.of(good, slow, slow)))
                .filteredOn(goal -> !goal.met()).extracting(PerformanceResult.Goal::name)
                .containsExactly("p95 end-to-end latency");
        assertThat(PerformanceSuite.goals(load, List.of(good, good, lossy)))
                .filteredOn(goal -> !goal.met()).extracting(PerformanceResult.Goal::name)
                .containsExactly("nothing lost");
        assertThat(PerformanceSuite.goals(load, List.of(lagging)))
                .filteredOn(goal -> !goal.met()).extracting(PerformanceResult.Goal::name)
                .containsExactly("rate kept");
    }

    @Test
    void startupHasAGoalOfItsOwn() {
        Load startup = new Load("startup", "", 0, 0, 1000, 1024);

        assertThat(PerformanceSuite.goals(startup, List.of(run(0, 0, 5000, 1000, 12.5))))
                .filteredOn(goal -> !goal.met()).extracting(PerformanceResult.Goal::name).containsExactly("startup");
    }

    private static PerformanceRun run(long lost, double produced, double consumed, double p95) {
        return run(lost, produced, consumed, p95, 5);
    }

    private static PerformanceRun run(long lost, double produced, double consumed, double p95, double startup) {
        return new PerformanceRun(1, 1000, lost, 0, produced, consumed, new Latency(1000, 10, p95, p95, p95, p95),
                startup, 60, List.of());
    }
}
