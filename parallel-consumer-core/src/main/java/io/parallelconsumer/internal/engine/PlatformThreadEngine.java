package io.parallelconsumer.internal.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.RecordHandler;
import io.parallelconsumer.internal.work.RecordTraces;
import io.parallelconsumer.internal.work.WorkItem;
import io.parallelconsumer.internal.work.WorkSource;

/**
 * A fixed set of platform threads, each looping: take a record, run the handler, report. Threads stay hot while
 * there is work, so a record costs no thread hand-off beyond taking it from the work manager.
 */
public final class PlatformThreadEngine<K, V> implements ExecutionEngine<K, V> {

    private final RecordHandler<K, V> handler;
    private final RecordTraces traces;
    private final int concurrency;
    private final String threadNamePrefix;
    private final List<Thread> threads = new ArrayList<>();

    public PlatformThreadEngine(RecordHandler<K, V> handler, int concurrency, String threadNamePrefix) {
        this(handler, concurrency, threadNamePrefix, RecordTraces.OFF);
    }

    public PlatformThreadEngine(RecordHandler<K, V> handler, int concurrency, String threadNamePrefix,
            RecordTraces traces) {
        this.traces = traces;
        this.handler = handler;
        this.concurrency = concurrency;
        this.threadNamePrefix = threadNamePrefix;
    }

    @Override
    public synchronized void start(WorkSource<K, V> source) {
        for (int i = 0; i < concurrency; i++) {
            Thread thread = new Thread(() -> runLoop(source), threadNamePrefix + i);
            // A handler that ignores interruption must not keep the JVM alive after close gave up on it.
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void runLoop(WorkSource<K, V> source) {
        try {
            WorkItem<K, V> item = source.take();
            while (item != null) {
                WorkItem<K, V> next = source.completedAndPoll(item, HandlerInvoker.invoke(handler, item, traces));
                item = next != null ? next : source.take();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Throwable ex) {
            source.engineFailed(ex);
        }
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : snapshot()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedJoin(thread, left);
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void interruptRunning() {
        snapshot().forEach(Thread::interrupt);
    }

    private synchronized List<Thread> snapshot() {
        return new ArrayList<>(threads);
    }

    @Override
    public String name() {
        return "platform";
    }
}
