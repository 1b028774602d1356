package io.parallelconsumer.internal.work;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine threads that wait for work, and how many engine threads there are. A wake-up goes to the thread that
 * went idle last, whose stack and caches are still warm, so that with fast records the same few threads do the
 * work instead of wake-ups going round all of them (one shared condition would wake the longest idle). Guarded by
 * the work manager's lock, which {@link #await} waits on.
 */
final class IdleThreads {

    private final ReentrantLock lock;
    /** Waiting and not yet woken, the most recently idle last. */
    private final ArrayDeque<IdleThread> waiting = new ArrayDeque<>();
    /** Engine threads that have asked for work ({@link #register}), to tell how many are awake. */
    private final ThreadLocal<Boolean> known = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private int engineThreads;

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

    /** Waits, holding the lock, until {@link #wakeOne} picks this thread, or a spurious wake-up or interrupt. */
    void await() throws InterruptedException {
        IdleThread idle = new IdleThread(lock.newCondition());
        waiting.addLast(idle);
        try {
            idle.condition.await();
        }
        finally {
            if (!idle.woken) {
                waiting.removeLastOccurrence(idle); // interrupted, or woken spuriously
            }
        }
    }

    /** Wakes the thread that went idle last, if any. */
    void wakeOne() {
        IdleThread idle = waiting.pollLast();
        if (idle != null) {
            idle.woken = true;
            idle.condition.signal();
        }
    }

    void wakeAll() {
        while (!waiting.isEmpty()) {
            wakeOne();
        }
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Waiting and not yet woken. */
    int size() {
        return waiting.size();
    }

    /** Engine threads not waiting here: running records, or about to take one. */
    int awake() {
        return engineThreads - waiting.size();
    }

    private static final class IdleThread {
        final Condition condition;
        boolean woken;

        IdleThread(Condition condition) {
            this.condition = condition;
        }
    }
}
