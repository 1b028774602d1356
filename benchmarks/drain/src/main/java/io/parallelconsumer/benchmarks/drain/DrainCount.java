package io.parallelconsumer.benchmarks.drain;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the records a parallel drain's handler has finished and notes, on the thread that finishes the last one,
 * when the drain ended. The benchmark's main thread then waits on a latch instead of looking at the count every
 * millisecond: those looks cost the measured process 60 - 110 ms of CPU in a four-second sleep drain (on two cores,
 * every wake-up of that thread can delay a handler thread's), and read a fast drain's end up to a look late, while
 * the plain loop reads its own end.
 */
final class DrainCount {

    private final long records;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong firstNanos = new AtomicLong();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile long endNanos;

    DrainCount(long records) {
        this.records = records;
    }

    /**
     * Notes when the first record started. Reads before it writes: a clock reading and a compare-and-set on one
     * shared field for every record would cost the handler more than the plain loop pays per record.
     */
    void started() {
        if (firstNanos.get() == 0) {
            firstNanos.compareAndSet(0, System.nanoTime());
        }
    }

    /** Counts one finished record; the one that completes the drain notes the time and releases the waiter. */
    void finished() {
        if (done.incrementAndGet() == records) {
            endNanos = System.nanoTime();
            ended.countDown();
        }
    }

    long done() {
        return done.get();
    }

    long firstNanos() {
        return firstNanos.get();
    }

    /** Waits up to {@code millis} for the last record; true once the drain has ended. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    /** From the first record's start to the last record's end; valid once {@link #awaitEnd} returned true. */
    long elapsedNanos() {
        return endNanos - firstNanos.get();
    }
}
