package io.parallelconsumer.internal.work;

import java.util.concurrent.TimeUnit;

/**
 * How long records run - a moving average over every record, 0 until one has run - and what follows from it for
 * handing them out: whether they are slow, whether they only do in-memory work, how many of one shard a worker may
 * take at once. Guarded by the work manager's lock.
 */
final class RunTimeEstimate {

    /** Records that run longer than this on average are slow: the workers running them will not be back soon. */
    static final long SLOW_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /**
     * Records that run shorter than this on average do in-memory work, not I/O: more threads than cores cannot run
     * more of them, they only take turns (a network call takes tens of microseconds even on one machine).
     */
    static final long IN_MEMORY_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    /** The most records of one shard handed to a worker at once. */
    private static final int MAX_BATCH = 64;
    /**
     * How long, by the estimate, a batch may keep its worker busy: short enough that batching never holds records
     * back noticeably, so slow handlers always get one record at a time.
     */
    private static final long BATCH_BUDGET_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private long averageNanos;
    private long lastCompletionNanos;
    private boolean anyStarted;
    private boolean anyCompleted;
    private long firstStartNanos;

    /** A record completed at {@code now} after running {@code runNanos}; {@code runNanos < 0} if not timed. */
    void completed(long runNanos, long now) {
        if (runNanos >= 0) {
            long average = averageNanos == 0 ? runNanos : averageNanos + ((runNanos - averageNanos) >> 4);
            averageNanos = Math.max(1, average);
        }
        lastCompletionNanos = now;
        anyCompleted = true;
    }

    /** A record started at {@code now}. */
    void started(long now) {
        if (!anyStarted) {
            anyStarted = true;
            firstStartNanos = now;
        }
    }

    boolean slow() {
        return averageNanos > SLOW_NANOS;
    }

    /**
     * Whether, before any record has completed, the first one has already run longer than a slow record: then
     * records are slow as far as anyone can tell, well before an average says so.
     */
    boolean firstRunningLong(long now) {
        return anyStarted && !anyCompleted && now - firstStartNanos > SLOW_NANOS;
    }

    /** Known to run in microseconds: see {@link #IN_MEMORY_NANOS}. */
    boolean inMemory() {
        return averageNanos > 0 && averageNanos < IN_MEMORY_NANOS;
    }

    /** Nanoseconds since the last record completed. */
    long sinceLastCompletion(long now) {
        return now - lastCompletionNanos;
    }

    /** How many records of one shard a worker may take at once. */
    int batchLimit() {
        long average = Math.max(1, averageNanos);
        return average >= BATCH_BUDGET_NANOS ? 1 : (int) Math.min(MAX_BATCH, BATCH_BUDGET_NANOS / average);
    }
}
