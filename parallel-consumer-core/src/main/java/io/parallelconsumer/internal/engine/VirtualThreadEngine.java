package io.parallelconsumer.internal.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

import io.parallelconsumer.RecordHandler;
import io.parallelconsumer.internal.work.RecordTraces;
import io.parallelconsumer.internal.work.WorkItem;
import io.parallelconsumer.internal.work.WorkSource;

/**
 * A virtual thread per record that becomes ready, at most {@code concurrency} at once. A thread whose record is done
 * goes on with the next ready one, if any, before it ends - as a platform worker would - so that fast handlers do
 * not pay for a new thread and a dispatch per record.
 */
public final class VirtualThreadEngine<K, V> extends DispatchingEngine<K, V> {

    private final RecordHandler<K, V> handler;
    private final RecordTraces traces;
    private final ThreadFactory threads;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    public VirtualThreadEngine(RecordHandler<K, V> handler, int concurrency, String threadNamePrefix) {
        this(handler, concurrency, threadNamePrefix, RecordTraces.OFF);
    }

    public VirtualThreadEngine(RecordHandler<K, V> handler, int concurrency, String threadNamePrefix,
            RecordTraces traces) {
        super(concurrency, threadNamePrefix);
        this.handler = handler;
        this.traces = traces;
        this.threads = VirtualThreads.factory(threadNamePrefix);
    }

    @Override
    void launch(WorkSource<K, V> source, WorkItem<K, V> item) {
        Thread worker = threads.newThread(() -> {
            try {
                WorkItem<K, V> current = item;
                while (current != null) {
                    current = source.completedAndPoll(current, HandlerInvoker.invoke(handler, current, traces));
                }
            }
            catch (Throwable ex) {
                source.engineFailed(ex);
            }
            finally {
                running.remove(Thread.currentThread());
                releasePermit();
            }
        });
        running.add(worker);
        worker.start();
    }

    @Override
    public void interruptRunning() {
        super.interruptRunning();
        running.forEach(Thread::interrupt);
    }

    @Override
    public String name() {
        return "virtual";
    }
}
