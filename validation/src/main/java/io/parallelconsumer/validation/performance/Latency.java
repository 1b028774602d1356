package io.parallelconsumer.validation.performance;

import java.util.Collection;

import io.parallelconsumer.validation.verify.Processed;
import org.HdrHistogram.Histogram;

/** End-to-end latency in milliseconds: from the producer's send to the end of the record's first processing. */
public record Latency(long count, double p50, double p95, double p99, double p999, double max) {

    /** Latencies up to an hour are recorded with 3 significant digits. */
    public static Latency of(Collection<Processed> firstProcessings) {
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        for (Processed processed : firstProcessings) {
            histogram.recordValue(Math.max(0, Math.min(processed.endMicros() - processed.sentMicros(),
                    histogram.getHighestTrackableValue())));
        }
        return new Latency(histogram.getTotalCount(), millis(histogram, 50), millis(histogram, 95),
                millis(histogram, 99), millis(histogram, 99.9), histogram.getMaxValue() / 1000.0);
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
