package io.parallelconsumer.internal.work;

import java.util.concurrent.TimeUnit;

/**
 * The scheduler's tuning constants in one place. Production runs {@link #DEFAULTS}; tests pass other values to reach
 * a threshold without waiting for it. The measurements behind each value are in {@code docs/design/scheduler.md}.
 *
 * @param lockSpins tries at the lock, one spin-wait apart, before a thread parks or gives up its core
 * @param lockYields times an engine thread gives up its core and tries the lock again before it parks: the holder
 *        has most likely lost its core, and parking queues the thread behind every other waiter
 * @param slowNanos records that run longer than this on average are slow: their workers will not be back soon,
 *        so a thread is woken for each ready record at once
 * @param inMemoryNanos records that run shorter than this on average do in-memory work, not I/O: more threads than
 *        cores cannot run more of them
 * @param leaveInMemoryNanos in-memory records stay judged so until their average exceeds this, so that the judgement
 *        does not flap with the run times of threads that lose and regain cores
 * @param maxBatch the most records of one shard handed to a worker at once
 * @param batchBudgetNanos how long, by the estimate, a batch may keep its worker busy
 * @param wakeAfterNanos how long a ready record may wait for a busy thread before an idle one is woken for it
 * @param stallNanos with in-memory records and a thread per core awake, how long nothing may complete (and no
 *        thread be woken) while work is ready before one more thread is woken: the awake ones may be stuck
 * @param chainWeightPerConcurrency with slow records, how many concurrencies' worth of arrivals each record queued
 *        behind an ordered shard's next one moves the shard forward in the ready queue (longest queue first)
 * @param maxQueuedCounted the most queued records that move a shard forward
 * @param splitQueued a partition's one queue longer than this, while engine threads wait for work, is split by key
 * @param holdAfterNanos a run of a partition's one queue going on longer than this splits the queue while it runs
 * @param minShardSweep shards of idle keys a partition may keep before they are swept
 */
record WorkTuning(int lockSpins, int lockYields, long slowNanos, long inMemoryNanos, long leaveInMemoryNanos,
        int maxBatch, long batchBudgetNanos, long wakeAfterNanos, long stallNanos, int chainWeightPerConcurrency,
        int maxQueuedCounted, int splitQueued, long holdAfterNanos, int minShardSweep) {

    static final WorkTuning DEFAULTS = new WorkTuning(64, 4, micros(100), micros(5), micros(20), 64, micros(50),
            micros(100), micros(1_000), 16, 64, 1024, micros(1_000), 1024);

    WorkTuning {
        requirePositive("lockSpins", lockSpins);
        requirePositive("slowNanos", slowNanos);
        requirePositive("inMemoryNanos", inMemoryNanos);
        requirePositive("maxBatch", maxBatch);
        requirePositive("batchBudgetNanos", batchBudgetNanos);
        requirePositive("holdAfterNanos", holdAfterNanos);
        requirePositive("minShardSweep", minShardSweep);
        if (lockYields < 0 || wakeAfterNanos < 0 || stallNanos < 0 || chainWeightPerConcurrency < 0
                || maxQueuedCounted < 0 || splitQueued < 0) {
            throw new IllegalArgumentException("Tuning values must not be negative: " + this);
        }
        if (leaveInMemoryNanos < inMemoryNanos) {
            throw new IllegalArgumentException("leaveInMemoryNanos (" + leaveInMemoryNanos
                    + ") must be at least inMemoryNanos (" + inMemoryNanos + "), or the judgement would flap");
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }

    private static long micros(long value) {
        return TimeUnit.MICROSECONDS.toNanos(value);
    }
}
