package io.parallelconsumer.internal.work;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Records that engine threads finished while another thread held the work manager's lock: pushed without the lock
 * onto a stack linked through {@link WorkItem#nextDeferred}, and counted complete by whoever takes the lock next.
 * The push publishes the record's fields written before it to the thread that takes the stack.
 */
final class DeferredCompletions<K, V> {

    private final AtomicReference<WorkItem<K, V>> top = new AtomicReference<>();

    /** Adds a record finished at {@code completedNanos}. Any thread. */
    void push(WorkItem<K, V> item, long completedNanos) {
        item.completedNanos = completedNanos;
        WorkItem<K, V> current;
        do {
            current = top.get();
            item.nextDeferred = current;
        }
        while (!top.compareAndSet(current, item));
    }

    /** Whether a record has been pushed and not yet taken. */
    boolean pending() {
        return top.get() != null;
    }

    /** Takes every record pushed so far, linked through {@link WorkItem#nextDeferred}; {@code null} if none. */
    WorkItem<K, V> takeAll() {
        return top.get() == null ? null : top.getAndSet(null);
    }
}
