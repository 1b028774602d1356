package io.parallelconsumer.benchmarks.harness;

import java.util.Locale;

/** What consumes the workload in one run. */
enum RunKind {

    /** A plain Spring Kafka {@code @KafkaListener}, one container thread per partition. */
    BASELINE(BaselineListener.class),

    /** {@code @ParallelListener} on platform threads. */
    PLATFORM(ParallelBlockingListener.class),

    /** {@code @ParallelListener} on virtual threads (Java 21+). */
    VIRTUAL(ParallelBlockingListener.class),

    /** {@code @ParallelListener} returning a {@code CompletionStage}: no thread held while a record waits. */
    ASYNC(ParallelAsyncListener.class);

    final Class<?> listener;

    RunKind(Class<?> listener) {
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
