package io.parallelconsumer.benchmarks.drain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The measured runs of one invocation, summed up per scenario and consumer the way the README reports them: the
 * median of the per-run ratios with the lowest and highest, how many runs reached the target, and the median rate.
 * Single drains of fast records scatter by tens of percent, so a set is judged by these and not by any one row.
 */
final class RunSummary {

    /** Rows in the order they first appeared. */
    private final Map<Row, Runs> byRow = new LinkedHashMap<>();

    /**
     * Notes one measured run.
     * @param ratioPercent its rate as a percentage of its reference
     * @param targetPercent the ratio it should reach, or {@code NaN} for a reference row
     */
    void add(String scenario, String consumer, double ratioPercent, double rate, double targetPercent) {
        byRow.computeIfAbsent(new Row(scenario, consumer), row -> new Runs(targetPercent)).add(ratioPercent, rate);
    }

    /** A Markdown table with a row per scenario and consumer; empty if no run was noted. */
    String table() {
        if (byRow.isEmpty()) {
            return "";
        }
        StringBuilder table = new StringBuilder();
        table.append("| scenario | consumer | runs | ratio: median (lowest - highest) | target | runs at target "
                + "| records/s: median |\n");
        table.append("|---|---|---:|---|---:|---:|---:|\n");
        byRow.forEach((row, runs) -> table.append(runs.row(row)).append('\n'));
        return table.toString();
    }

    private record Row(String scenario, String consumer) {
    }

    private static final class Runs {
        private final double targetPercent;
        private final List<Double> ratios = new ArrayList<>();
        private final List<Double> rates = new ArrayList<>();

        Runs(double targetPercent) {
            this.targetPercent = targetPercent;
        }

        void add(double ratioPercent, double rate) {
            ratios.add(ratioPercent);
            rates.add(rate);
        }

        String row(Row row) {
            boolean hasTarget = !Double.isNaN(targetPercent);
            long atTarget = ratios.stream().filter(ratio -> ratio >= targetPercent).count();
            List<Double> sortedRatios = ratios.stream().sorted().toList();
            return String.format(Locale.ROOT, "| %s | %s | %d | %.1f %% (%.1f - %.1f) | %s | %s | %,.0f |",
                    row.scenario(), row.consumer(), ratios.size(), median(sortedRatios), sortedRatios.get(0),
                    sortedRatios.get(sortedRatios.size() - 1),
                    hasTarget ? String.format(Locale.ROOT, "%.0f %%", targetPercent) : "-",
                    hasTarget ? atTarget + " of " + ratios.size() : "-", median(rates.stream().sorted().toList()));
        }

        /** The median of values sorted in ascending order. */
        private static double median(List<Double> sorted) {
            int middle = sorted.size() / 2;
            return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        }
    }
}
