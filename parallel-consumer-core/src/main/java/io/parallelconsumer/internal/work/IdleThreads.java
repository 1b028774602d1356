package io.parallelconsumer.internal.work;

import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine threads that wait for work, and how many engine threads there are. A wake-up goes to the thread that
 * went idle last, whose stack and caches are still warm, so that with fast records the same few threads do the
 * work instead of wake-ups going round all of them (one shared condition would wake the longest idle). Guarded by
 * the work manager's lock, which {@link #await} releases while it waits.
 * <p>
 * A thread is woken under the lock but unparked only once the lock is released ({@link #unlock}): a condition of
 * the lock would wake each signalled thread only when the one before it had taken and released the lock, so that
 * many threads woken at once (slow records backing up) would start one wake-up latency after the other.
 */
final class IdleThreads {

    private final ReentrantLock lock;
    /** Waiting and not yet woken, the most recently idle last. */
    private final ArrayDeque<IdleThread> waiting = new ArrayDeque<>();
    /** Engine threads that have asked for work ({@link #register}), to tell how many are awake. */
    private final ThreadLocal<Boolean> known = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private int engineThreads;
    /** Woken and not yet back from {@link #await}: on their way to work already ready. */
    private int wokenNotBack;
    /** Woken while the lock is held and not yet unparked, linked through {@link IdleThread#nextToUnpark}. */
    private IdleThread toUnpark;

    IdleThreads(ReentrantLock lock) {
        this.lock = lock;
    }

    /** Counts the calling thread as an engine thread, once. */
    void register() {
        if (!known.get()) {
            known.set(Boolean.TRUE);
            engineThreads++;
        }
    }

    /**
     * Releases the lock, which the caller holds, and waits until {@link #wakeOne} picks this thread or it is
     * interrupted; then takes the lock again. Woken and interrupted both, it returns with its interrupt status set,
     * so that the wake-up is not lost.
     */
    void await() throws InterruptedException {
        if (lock.getHoldCount() != 1) {
            // unlock() would leave the lock held while this thread parks, and no one could wake it
            throw new IllegalStateException("Waiting for work needs the work manager's lock held exactly once, not "
                    + lock.getHoldCount() + " times");
        }
        IdleThread idle = new IdleThread(Thread.currentThread());
        waiting.addLast(idle);
        unlock();
        boolean interrupted = false;
        while (!idle.woken && !interrupted) {
            LockSupport.park(this);
            interrupted = Thread.interrupted();
        }
        lock.lock();
        if (idle.woken) {
            wokenNotBack--;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        waiting.removeLastOccurrence(idle);
        throw new InterruptedException();
    }

    /** Wakes the thread that went idle last, if any. */
    void wakeOne() {
        IdleThread idle = waiting.pollLast();
        if (idle != null) {
            idle.woken = true;
            wokenNotBack++;
            idle.nextToUnpark = toUnpark;
            toUnpark = idle;
        }
    }

    /** Wakes up to {@code count} threads, as many as wait if fewer. */
    void wake(int count) {
        for (int i = 0; i < count && !waiting.isEmpty(); i++) {
            wakeOne();
        }
    }

    void wakeAll() {
        wake(Integer.MAX_VALUE);
    }

    /** Releases the lock, then unparks the threads woken while it was held. */
    void unlock() {
        IdleThread woken = toUnpark;
        toUnpark = null;
        lock.unlock();
        while (woken != null) {
            IdleThread next = woken.nextToUnpark;
            LockSupport.unpark(woken.thread);
            woken = next;
        }
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Waiting and not yet woken. */
    int size() {
        return waiting.size();
    }

    /** Woken and not yet back from waiting. */
    int wokenNotBack() {
        return wokenNotBack;
    }

    /** Engine threads not waiting here: running records, or about to take one. */
    int awake() {
        return engineThreads - waiting.size();
    }

    private static final class IdleThread {
        final Thread thread;
        /** Written under the lock; read by the waiting thread without it. */
        volatile boolean woken;
        IdleThread nextToUnpark;

        IdleThread(Thread thread) {
            this.thread = thread;
        }
    }
}
