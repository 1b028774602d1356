package io.parallelconsumer.validation.performance;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Median, lowest and highest of one figure over a test's repeated runs. */
public record Spread(double median, double min, double max) {

    public static <T> Spread of(List<T> runs, ToDoubleFunction<T> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN);
        }
        int middle = values.length / 2;
        double median = values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        return new Spread(median, values[0], values[values.length - 1]);
    }

    /** (max - min) / median, as a fraction. */
    public double relative() {
        return median == 0 ? 0 : (max - min) / median;
    }

    @Override
    public String toString() {
        return median + " [" + min + ", " + max + "]";
    }

    static double[] sorted(double... values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
