package io.parallelconsumer.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.parallelconsumer.ParallelConsumer;

import static org.awaitility.Awaitility.await;

/** Runs a consumer in a test until a condition holds, and closes it whatever happens. */
public final class ConsumerRuns {

    private ConsumerRuns() {
    }

    /** Starts the consumer, waits (up to a minute) until {@code done}, then closes it with a 10 s timeout. */
    public static void runUntil(ParallelConsumer<?, ?> consumer, BooleanSupplier done) {
        try {
            consumer.start();
            await().atMost(Duration.ofMinutes(1)).until(done::getAsBoolean);
        }
        finally {
            consumer.close(Duration.ofSeconds(10));
        }
    }
}
