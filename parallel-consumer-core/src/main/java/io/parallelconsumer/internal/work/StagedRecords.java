package io.parallelconsumer.internal.work;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Records already taken from the ready queue, in order, for engine threads to pick up without the work manager's
 * lock: filled only under the lock, taken by any thread. A ring of fixed capacity; whoever fills it writes a slot
 * and then publishes it by moving the tail, and takers claim slots by moving the head with a compare-and-set, so a
 * taker that read a slot about to be written again loses its claim and reads anew. A slot keeps its last record
 * until it is written again: at most {@code capacity} records stay reachable a little longer.
 */
final class StagedRecords<K, V> {

    private final AtomicReferenceArray<WorkItem<K, V>> slots;
    private final int mask;
    /** The next slot to take. */
    private final AtomicLong head = new AtomicLong();
    /** The next slot to fill; written under the work manager's lock only. */
    private volatile long tail;

    /** @param capacity a power of two */
    StagedRecords(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("Capacity must be a power of two, not " + capacity);
        }
        this.slots = new AtomicReferenceArray<>(capacity);
        this.mask = capacity - 1;
    }

    /** Adds a record at the tail, unless the ring is full. Under the work manager's lock only. */
    boolean offer(WorkItem<K, V> item) {
        long t = tail;
        if (t - head.get() > mask) {
            return false;
        }
        slots.set((int) (t & mask), item);
        tail = t + 1;
        return true;
    }

    /** Takes the oldest record, or returns {@code null} if there is none. Any thread. */
    WorkItem<K, V> poll() {
        while (true) {
            long h = head.get();
            if (h >= tail) {
                return null;
            }
            WorkItem<K, V> item = slots.get((int) (h & mask));
            if (head.compareAndSet(h, h + 1)) {
                return item;
            }
        }
    }

    /** Records staged and not yet taken; exact under the lock when no other thread takes at the same time. */
    int size() {
        return (int) (tail - head.get());
    }
}
