package io.parallelconsumer.validation.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.parallelconsumer.validation.delivery.DeliveryResult;
import io.parallelconsumer.validation.performance.PerformanceResult;

/** Writes the Markdown reports from the JSON results of a results directory. */
public final class Reports {

    private Reports() {
    }

    /** Writes each report whose results exist; returns the files written. */
    public static List<Path> write(Path results) throws IOException {
        List<Path> written = new ArrayList<>();
        List<DeliveryResult> delivery = Results.read(results.resolve("delivery"), DeliveryResult.class);
        if (!delivery.isEmpty()) {
            Path file = results.resolve("delivery-guarantees.md");
            Files.writeString(file, DeliveryReport.markdown(delivery));
            written.add(file);
        }
        List<PerformanceResult> performance = Results.read(results.resolve("performance"), PerformanceResult.class);
        if (!performance.isEmpty()) {
            Path file = results.resolve("performance-baseline.md");
            Files.writeString(file, PerformanceReport.markdown(performance));
            written.add(file);
        }
        if (written.isEmpty()) {
            throw new IllegalStateException("No results in " + results + "; run the delivery or performance suite "
                    + "with --results " + results + " first");
        }
        return written;
    }
}
