package io.parallelconsumer.benchmarks.drain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunSummaryTest {

    @Test
    void summarisesEachScenarioAndConsumerInTheOrderTheyFirstRan() {
        RunSummary summary = new RunSummary();
        summary.add("noop", "plain loop", 100, 4_000_000, Double.NaN);
        summary.add("noop", "parallel platform", 64.5, 2_580_000, 70);
        summary.add("noop", "plain loop", 100, 3_000_000, Double.NaN);
        summary.add("noop", "parallel platform", 80.25, 2_407_500, 70);
        summary.add("noop", "parallel platform", 70, 2_800_000, 70);

        assertThat(summary.table().lines()).containsExactly(
                "| scenario | consumer | runs | ratio: median (lowest - highest) | target | runs at target "
                        + "| records/s: median |",
                "|---|---|---:|---|---:|---:|---:|",
                "| noop | plain loop | 2 | 100.0 % (100.0 - 100.0) | - | - | 3,500,000 |",
                "| noop | parallel platform | 3 | 70.0 % (64.5 - 80.3) | 70 % | 2 of 3 | 2,580,000 |");
    }

    @Test
    void medianOfAnEvenNumberOfRunsIsTheMeanOfTheMiddleTwo() {
        RunSummary summary = new RunSummary();
        for (double ratio : new double[] {97.6, 96.0, 97.2, 98.0}) {
            summary.add("sleep 5 ms", "parallel async", ratio, ratio * 512, 97);
        }

        assertThat(summary.table()).contains("| sleep 5 ms | parallel async | 4 | 97.4 % (96.0 - 98.0) | 97 % | 3 of 4 "
                + "| 49,869 |");
    }

    @Test
    void noRunsNoTable() {
        assertThat(new RunSummary().table()).isEmpty();
    }
}
