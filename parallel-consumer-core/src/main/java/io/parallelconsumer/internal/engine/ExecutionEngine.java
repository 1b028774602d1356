package io.parallelconsumer.internal.engine;

import java.time.Duration;
import io.parallelconsumer.internal.work.WorkSource;

/**
 * Runs records taken from a {@link WorkSource} with bounded concurrency. The control plane starts and stops it and
 * never looks behind this interface: platform threads, virtual threads and asynchronous handlers are all engines.
 */
public interface ExecutionEngine<K, V> {

    /** Starts taking and running work from the source until it returns {@code null}. */
    void start(WorkSource<K, V> source);

    /**
     * Waits until every run has ended and the engine's threads are gone, after the source stopped handing out work.
     * @return whether everything ended within the timeout
     */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /** Interrupts runs still going; used when a drain timed out. Returns at once. */
    void interruptRunning();

    /** A short name for logs and diagnostics: {@code platform}, {@code virtual} or {@code async}. */
    String name();
}
