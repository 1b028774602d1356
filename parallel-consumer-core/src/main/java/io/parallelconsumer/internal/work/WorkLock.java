package io.parallelconsumer.internal.work;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The work manager's one lock and how each kind of thread takes it. It is held for a microsecond or two of
 * bookkeeping, never while user code runs, so a short spin usually wins it without parking. The engine threads that
 * wait for work wait here ({@link #idleThreads()}), and so do the threads that wait for running records to end.
 */
final class WorkLock {

    private final ReentrantLock lock = new ReentrantLock();
    private final IdleThreads idleThreads = new IdleThreads(lock);
    private final Condition runningChanged = lock.newCondition();
    private final int spins;
    private final int yields;
    /** Threads waiting for partitions to drain or go idle. */
    private int drainWaiters;

    WorkLock(WorkTuning tuning) {
        this.spins = tuning.lockSpins();
        this.yields = tuning.lockYields();
    }

    void lock() {
        lock.lock();
    }

    void lockInterruptibly() throws InterruptedException {
        lock.lockInterruptibly();
    }

    /**
     * Takes the lock for the poller, spinning first. The poller does not give up its core for it, as engine threads
     * do: a poller off its core holds up every record behind it.
     */
    void acquireAsPoller() {
        if (!spin()) {
            lock.lock();
        }
    }

    /**
     * Takes the lock for an engine thread between two records. When the spin fails the holder has most likely lost
     * its core, so this thread gives up its own a few times to let the holder finish, rather than queue among the
     * lock's waiters, which are woken one after the other.
     */
    void acquireAsWorker() {
        if (spin()) {
            return;
        }
        for (int yield = 0; yield < yields; yield++) {
            Thread.yield();
            if (lock.tryLock()) {
                return;
            }
        }
        lock.lock();
    }

    private boolean spin() {
        for (int spin = 0; spin < spins; spin++) {
            if (lock.tryLock()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /** Releases the lock, and only then unparks the engine threads woken while it was held. */
    void unlock() {
        idleThreads.unlock();
    }

    /** The engine threads that wait for work; guarded by this lock. */
    IdleThreads idleThreads() {
        return idleThreads;
    }

    /** Waits, holding the lock, until a running record ends or {@code nanos} pass. */
    void awaitRunningChanged(long nanos) throws InterruptedException {
        drainWaiters++;
        try {
            runningChanged.awaitNanos(nanos);
        }
        finally {
            drainWaiters--;
        }
    }

    /** A running record ended: wakes the threads in {@link #awaitRunningChanged}, if any (rare: a drain waits). */
    void runningChanged() {
        if (drainWaiters > 0) {
            runningChanged.signalAll();
        }
    }
}
