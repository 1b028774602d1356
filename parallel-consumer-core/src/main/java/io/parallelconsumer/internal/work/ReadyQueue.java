package io.parallelconsumer.internal.work;

import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * The shards whose next record may run, oldest first, in O(1): a ring of buckets of {@link #BUCKET_SPAN}
 * consecutive arrival numbers ({@link Shard#readySequence}), each a FIFO. A shard is taken from the lowest
 * non-empty bucket, so order is exact between buckets and by insertion within one - close enough to oldest-first,
 * at the cost of a deque operation instead of the cache misses of a binary heap over thousands of shards. The
 * ring grows when the oldest and newest waiting shards lie further apart than it spans. Guarded by the work
 * manager's lock.
 */
final class ReadyQueue<K, V> {

    /** Arrival numbers per bucket, as a shift. */
    private static final int SHIFT = 6;
    static final long BUCKET_SPAN = 1L << SHIFT;

    private ArrayDeque<Shard<K, V>>[] ring = newRing(64);
    /** Lowest bucket that may hold a shard; meaningful while {@code size > 0}. */
    private long low;
    /** Highest bucket that may hold a shard; meaningful while {@code size > 0}. */
    private long high;
    private int size;

    void add(Shard<K, V> shard) {
        long bucket = shard.readySequence >> SHIFT;
        if (size == 0) {
            low = bucket;
            high = bucket;
        }
        else {
            long newLow = Math.min(low, bucket);
            long newHigh = Math.max(high, bucket);
            if (newHigh - newLow >= ring.length) {
                grow(newLow, newHigh);
            }
            low = newLow;
            high = newHigh;
        }
        int index = index(bucket);
        if (ring[index] == null) {
            ring[index] = new ArrayDeque<>();
        }
        ring[index].addLast(shard);
        size++;
    }

    /** Removes a shard that is in the queue at its {@link Shard#readySequence}; O(shards in its bucket). */
    void remove(Shard<K, V> shard) {
        ArrayDeque<Shard<K, V>> bucket = ring[index(shard.readySequence >> SHIFT)];
        if (bucket == null || !bucket.removeFirstOccurrence(shard)) {
            throw new IllegalStateException("Shard " + shard.key + " is not where the ready queue placed it");
        }
        size--;
    }

    /** Removes and returns the oldest shard, or {@code null} if there is none. */
    Shard<K, V> poll() {
        if (size == 0) {
            return null;
        }
        size--;
        return lowestBucket().pollFirst();
    }

    /** The oldest shard, or {@code null} if there is none. */
    Shard<K, V> peek() {
        return size == 0 ? null : lowestBucket().peekFirst();
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void removeIf(Predicate<Shard<K, V>> filter) {
        size = 0;
        for (ArrayDeque<Shard<K, V>> bucket : ring) {
            if (bucket != null) {
                bucket.removeIf(filter);
                size += bucket.size();
            }
        }
    }

    void clear() {
        for (ArrayDeque<Shard<K, V>> bucket : ring) {
            if (bucket != null) {
                bucket.clear();
            }
        }
        size = 0;
    }

    /** Moves {@code low} up to the first non-empty bucket; there is one, since {@code size > 0}. */
    private ArrayDeque<Shard<K, V>> lowestBucket() {
        while (true) {
            ArrayDeque<Shard<K, V>> bucket = ring[index(low)];
            if (bucket != null && !bucket.isEmpty()) {
                return bucket;
            }
            low++;
        }
    }

    private void grow(long newLow, long newHigh) {
        int capacity = ring.length;
        while (newHigh - newLow >= capacity) {
            capacity <<= 1;
        }
        ArrayDeque<Shard<K, V>>[] bigger = newRing(capacity);
        for (long bucket = low; bucket <= high; bucket++) {
            ArrayDeque<Shard<K, V>> shards = ring[index(bucket)];
            if (shards != null && !shards.isEmpty()) {
                bigger[(int) (bucket & (capacity - 1))] = shards;
            }
        }
        ring = bigger;
    }

    private int index(long bucket) {
        return (int) (bucket & (ring.length - 1));
    }

    @SuppressWarnings("unchecked")
    private static <K, V> ArrayDeque<Shard<K, V>>[] newRing(int capacity) {
        return (ArrayDeque<Shard<K, V>>[]) new ArrayDeque<?>[capacity];
    }
}
