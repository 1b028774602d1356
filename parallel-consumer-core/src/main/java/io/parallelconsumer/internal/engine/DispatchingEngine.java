package io.parallelconsumer.internal.engine;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.internal.work.WorkItem;
import io.parallelconsumer.internal.work.WorkSource;

/**
 * An engine with one dispatcher thread that takes a record whenever one of {@code concurrency} permits is free and
 * hands it to {@link #launch}, which must return at once and, when the run ends, call {@link #finish}.
 */
abstract class DispatchingEngine<K, V> implements ExecutionEngine<K, V> {

    private final int concurrency;
    private final Semaphore permits;
    private final String dispatcherName;
    private volatile Thread dispatcher;

    DispatchingEngine(int concurrency, String threadNamePrefix) {
        this.concurrency = concurrency;
        this.permits = new Semaphore(concurrency);
        this.dispatcherName = threadNamePrefix + "dispatch";
    }

    /** Starts running one record without waiting for it; the run ends with {@link #finish}. */
    abstract void launch(WorkSource<K, V> source, WorkItem<K, V> item);

    @Override
    public void start(WorkSource<K, V> source) {
        Thread thread = new Thread(() -> dispatch(source), dispatcherName);
        thread.setDaemon(true);
        dispatcher = thread;
        thread.start();
    }

    private void dispatch(WorkSource<K, V> source) {
        try {
            while (true) {
                permits.acquire();
                WorkItem<K, V> item = source.take();
                if (item == null) {
                    permits.release();
                    return;
                }
                launch(source, item);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Throwable ex) {
            source.engineFailed(ex);
        }
    }

    /** Frees the permit of a launch that reported its runs itself. */
    final void releasePermit() {
        permits.release();
    }

    /** Reports the end of a run and frees its permit. */
    final void finish(WorkSource<K, V> source, WorkItem<K, V> item, Throwable failure) {
        try {
            source.completed(item, failure);
        }
        catch (Throwable ex) {
            // on whichever thread completed the run: a stage's callback would swallow it
            source.engineFailed(ex);
        }
        finally {
            permits.release();
        }
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Thread thread = dispatcher;
        if (thread != null) {
            TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadline - System.nanoTime()));
            if (thread.isAlive()) {
                return false;
            }
        }
        if (permits.tryAcquire(concurrency, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            permits.release(concurrency);
            return true;
        }
        return false;
    }

    @Override
    public void interruptRunning() {
        Thread thread = dispatcher;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
