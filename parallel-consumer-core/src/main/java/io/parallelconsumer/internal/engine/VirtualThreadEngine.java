package io.parallelconsumer.internal.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

import io.parallelconsumer.RecordHandler;
import io.parallelconsumer.internal.work.WorkItem;

/** One virtual thread per record, at most {@code concurrency} at once. */
public final class VirtualThreadEngine<K, V> extends DispatchingEngine<K, V> {

    private final RecordHandler<K, V> handler;
    private final ThreadFactory threads;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    public VirtualThreadEngine(RecordHandler<K, V> handler, int concurrency, String threadNamePrefix) {
        super(concurrency, threadNamePrefix);
        this.handler = handler;
        this.threads = VirtualThreads.factory(threadNamePrefix);
    }

    @Override
    void launch(WorkSource<K, V> source, WorkItem<K, V> item) {
        Thread worker = threads.newThread(() -> {
            try {
                finish(source, item, HandlerInvoker.invoke(handler, item));
            }
            finally {
                running.remove(Thread.currentThread());
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
