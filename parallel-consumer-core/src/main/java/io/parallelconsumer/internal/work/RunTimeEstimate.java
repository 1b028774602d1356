package io.parallelconsumer.internal.work;

/**
 * How long records run - a moving average over every record, 0 until one has run - and what follows from it for
 * handing them out: whether they are slow, whether they only do in-memory work, how many of one shard a worker may
 * take at once. Each run time enters the average as the median of it and the two before it, so that a lone record
 * whose thread lost its core for a millisecond or two does not make records of a few microseconds look slow (a
 * thread would be woken for every ready key while the average came down again); records that really turn slow are
 * seen as such from their second run on. The thresholds are {@link WorkTuning}'s. Guarded by the work manager's lock, except where a field says otherwise.
 */
final class RunTimeEstimate {

    private final long slowNanos;
    private final long inMemoryNanos;
    private final long leaveInMemoryNanos;
    private final int maxBatch;
    private final long batchBudgetNanos;

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

    RunTimeEstimate(WorkTuning tuning) {
        this.slowNanos = tuning.slowNanos();
        this.inMemoryNanos = tuning.inMemoryNanos();
        this.leaveInMemoryNanos = tuning.leaveInMemoryNanos();
        this.maxBatch = tuning.maxBatch();
        this.batchBudgetNanos = tuning.batchBudgetNanos();
    }

    /** A record completed at {@code now} after running {@code runNanos}; {@code runNanos < 0} if not timed. */
    void completed(long runNanos, long now) {
        if (runNanos >= 0) {
            long sample = medianWithTheTwoBefore(runNanos);
            long average = averageNanos == 0 ? sample : averageNanos + ((sample - averageNanos) >> 4);
            averageNanos = Math.max(1, average);
            if (averageNanos < inMemoryNanos) {
                inMemory = true;
            }
            else if (averageNanos > leaveInMemoryNanos) {
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
        return averageNanos > slowNanos;
    }

    /**
     * Whether, before any record has completed, the first one has already run longer than a slow record: then
     * records are slow as far as anyone can tell, well before an average says so.
     */
    boolean firstRunningLong(long now) {
        return anyStarted && !anyCompleted && now - firstStartNanos > slowNanos;
    }

    /** Known to run in microseconds: see {@link WorkTuning#inMemoryNanos()} and {@link WorkTuning#leaveInMemoryNanos()}. */
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
        return average >= batchBudgetNanos ? 1 : (int) Math.min(maxBatch, batchBudgetNanos / average);
    }
}
