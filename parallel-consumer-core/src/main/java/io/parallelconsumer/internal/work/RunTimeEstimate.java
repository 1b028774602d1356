package io.parallelconsumer.internal.work;

import java.util.concurrent.TimeUnit;

/**
 * How long records run - a moving average over every record, 0 until one has run - and what follows from it for
 * handing them out: whether they are slow, whether they only do in-memory work, how many of one shard a worker may
 * take at once. Each run time enters the average as the median of it and the two before it, so that a lone record
 * whose thread lost its core for a millisecond or two does not make records of a few microseconds look slow: with
 * the plain average, one such record in a fast drain (seen two or three times in some 200,000-record drains on two
 * cores) turned slow handling on - a thread woken for every ready key, hundreds of them - for the dozens of records
 * the average took to come down again. Records that really turn slow are seen as such from their second run on.
 * Guarded by the work manager's lock, except where a field says otherwise.
 */
final class RunTimeEstimate {

    /** Records that run longer than this on average are slow: the workers running them will not be back soon. */
    static final long SLOW_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /**
     * Records that run shorter than this on average do in-memory work, not I/O: more threads than cores cannot run
     * more of them, they only take turns (a network call takes tens of microseconds even on one machine).
     */
    static final long IN_MEMORY_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    /**
     * Records judged in-memory stay so until their average exceeds this: on a busy machine the run times of
     * in-memory records swing by several times as their threads lose and regain cores, and a judgement that
     * flapped with them would wake a thread whenever it flipped (see {@code WorkManager#needsAnotherThread}), up
     * to hundreds in a fast drain on two cores; records that wait on I/O take longer than this still.
     */
    static final long LEAVE_IN_MEMORY_NANOS = 4 * IN_MEMORY_NANOS;
    /** The most records of one shard handed to a worker at once. */
    private static final int MAX_BATCH = 64;
    /**
     * How long, by the estimate, a batch may keep its worker busy: short enough that batching never holds records
     * back noticeably, so slow handlers always get one record at a time.
     */
    private static final long BATCH_BUDGET_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private long averageNanos;
    /** The last two run times, the latest in {@code previousNanos}; -1 until there is one. */
    private long previousNanos = -1;
    private long beforePreviousNanos = -1;
    /** Volatile: a worker reads it without the lock before it starts the next record of a batch. */
    private volatile boolean inMemory;
    private long lastCompletionNanos;
    private boolean anyStarted;
    private boolean anyCompleted;
    private long firstStartNanos;

    /** A record completed at {@code now} after running {@code runNanos}; {@code runNanos < 0} if not timed. */
    void completed(long runNanos, long now) {
        if (runNanos >= 0) {
            long sample = medianWithTheTwoBefore(runNanos);
            long average = averageNanos == 0 ? sample : averageNanos + ((sample - averageNanos) >> 4);
            averageNanos = Math.max(1, average);
            if (averageNanos < IN_MEMORY_NANOS) {
                inMemory = true;
            }
            else if (averageNanos > LEAVE_IN_MEMORY_NANOS) {
                inMemory = false;
            }
        }
        lastCompletionNanos = now;
        anyCompleted = true;
    }

    /** The median of this run time and the two before it; the run time itself while there are fewer before it. */
    private long medianWithTheTwoBefore(long runNanos) {
        long a = beforePreviousNanos;
        long b = previousNanos;
        beforePreviousNanos = previousNanos;
        previousNanos = runNanos;
        if (a < 0) {
            return runNanos;
        }
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), runNanos));
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

    /** Known to run in microseconds: see {@link #IN_MEMORY_NANOS} and {@link #LEAVE_IN_MEMORY_NANOS}. */
    boolean inMemory() {
        return inMemory;
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
