package io.parallelconsumer.benchmarks.harness;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The work each record costs: a busy loop (CPU) then a sleep (I/O). The asynchronous form spins on the calling
 * thread and completes its stage from a timer when the sleep is over, holding no thread meanwhile.
 */
final class SimulatedWork implements AutoCloseable {

    private final long spinNanos;
    private final long sleepNanos;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "harness-io-timer");
        thread.setDaemon(true);
        return thread;
    });

    SimulatedWork(Duration spin, Duration sleep) {
        this.spinNanos = spin.toNanos();
        this.sleepNanos = sleep.toNanos();
    }

    /** Spins, then sleeps, on the calling thread. */
    void perform() throws InterruptedException {
        spin();
        if (sleepNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(sleepNanos);
        }
    }

    /** Spins on the calling thread, then completes after the sleep without holding a thread. */
    CompletionStage<Void> performAsync() {
        spin();
        if (sleepNanos == 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        timer.schedule(() -> done.complete(null), sleepNanos, TimeUnit.NANOSECONDS);
        return done;
    }

    private void spin() {
        if (spinNanos == 0) {
            return;
        }
        long end = System.nanoTime() + spinNanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
