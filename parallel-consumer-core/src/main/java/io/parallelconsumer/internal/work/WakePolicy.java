package io.parallelconsumer.internal.work;

import java.util.function.LongSupplier;

import io.parallelconsumer.Ordering;

/**
 * When idle engine threads are woken for ready work. Sparingly while records are fast, so that a few hot threads do
 * everything and no thread is woken per record; a thread per ready record at once while they are slow, since the
 * running ones will not be back soon and threads that each woke the next would start one wake-up latency after the
 * other. A woken thread checks again after taking its record. Guarded by the work manager's lock.
 */
final class WakePolicy<K, V> {

    private final IdleThreads idleThreads;
    private final ReadyShards<K, V> ready;
    private final RunTimeEstimate runTime;
    private final WorkCounts counts;
    private final LongSupplier nanoClock;
    /** Under {@code UNORDERED} the records of one partition's shard run side by side: a thread per queued record. */
    private final boolean unordered;
    /** How many threads can run in-memory records at once. */
    private final int cores;
    private final long wakeAfterNanos;
    private final long stallNanos;
    private long lastWakeNanos;

    WakePolicy(IdleThreads idleThreads, ReadyShards<K, V> ready, RunTimeEstimate runTime, WorkCounts counts,
            LongSupplier nanoClock, Ordering ordering, int cores, WorkTuning tuning) {
        this.idleThreads = idleThreads;
        this.ready = ready;
        this.runTime = runTime;
        this.counts = counts;
        this.nanoClock = nanoClock;
        this.unordered = ordering == Ordering.UNORDERED;
        this.cores = cores;
        this.wakeAfterNanos = tuning.wakeAfterNanos();
        this.stallNanos = tuning.stallNanos();
    }

    /**
     * Wakes waiting engine threads when ready work would otherwise wait. When records take long - by the estimate,
     * or because the first one has run longer than a slow record would before any completed - a thread for each
     * ready record. When nothing runs, one thread. Otherwise one more thread when the oldest ready shard has waited
     * longer than {@link WorkTuning#wakeAfterNanos()} and another thread would help ({@link #needsAnotherThread}).
     */
    void signalIfReady() {
        if (idleThreads.isEmpty() || ready.isEmpty()) {
            return;
        }
        if (runTime.slow()) {
            wakeForReadyWork();
            return;
        }
        if (counts.running() == 0) {
            idleThreads.wakeOne();
            return;
        }
        long now = nanoClock.getAsLong();
        if (runTime.firstRunningLong(now)) {
            wakeForReadyWork();
            return;
        }
        // Fast records: the awake threads usually keep up, and a ready shard only ages because they were
        // preempted. Add threads at most one per interval, or a busy machine would wake them all.
        if (now - lastWakeNanos > wakeAfterNanos && needsAnotherThread(now)) {
            lastWakeNanos = now;
            idleThreads.wakeOne();
        }
    }

    /** Wakes as many threads as records may start at once, less those woken already and not yet back. */
    private void wakeForReadyWork() {
        int readyWork = unordered ? counts.queued() : ready.size();
        idleThreads.wake(readyWork - idleThreads.wokenNotBack());
    }

    /**
     * Whether the oldest ready record has waited too long and another thread could run it sooner. Not when records
     * do in-memory work and a thread per core is awake already: then the record waits because the awake threads are
     * preempted, and each thread added only takes turns with them - unless nothing has completed, and no thread has
     * been woken, for {@link WorkTuning#stallNanos()}: then they may be stuck.
     */
    private boolean needsAnotherThread(long now) {
        if (now - ready.peek().readySinceNanos <= wakeAfterNanos) {
            return false;
        }
        return !runTime.inMemory() || idleThreads.awake() < cores
                || (runTime.sinceLastCompletion(now) > stallNanos && now - lastWakeNanos > stallNanos);
    }
}
