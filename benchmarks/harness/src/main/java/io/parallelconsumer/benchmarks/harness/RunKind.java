package io.parallelconsumer.benchmarks.harness;

import java.util.Locale;
import java.util.function.BiFunction;

/** What consumes the workload in one run. */
enum RunKind {

    /** A plain Spring Kafka {@code @KafkaListener}, one container thread per partition. */
    BASELINE(BaselineListener::new),

    /** {@code @ParallelListener} on platform threads. */
    PLATFORM(ParallelBlockingListener::new),

    /** {@code @ParallelListener} on virtual threads (Java 21+). */
    VIRTUAL(ParallelBlockingListener::new),

    /** {@code @ParallelListener} returning a {@code CompletionStage}: no thread held while a record waits. */
    ASYNC(ParallelAsyncListener::new);

    /** Creates the run's listener bean; its annotations are found on the instance's class. */
    final BiFunction<SimulatedWork, RunRecorder, Object> listener;

    RunKind(BiFunction<SimulatedWork, RunRecorder, Object> listener) {
        this.listener = listener;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RunKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("unknown run '" + text + "'; use baseline, platform, virtual, async");
        }
    }
}
