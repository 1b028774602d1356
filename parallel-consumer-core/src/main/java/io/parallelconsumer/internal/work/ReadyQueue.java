package io.parallelconsumer.internal.work;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The shards whose next record may run, oldest first, in O(1): a ring of buckets of {@link #BUCKET_SPAN}
 * consecutive arrival numbers ({@link Shard#readySequence}), each a FIFO. A shard is taken from the lowest
 * non-empty bucket, so order is exact between buckets and by insertion within one - close enough to oldest-first,
 * at the cost of a deque operation instead of the cache misses of a binary heap over thousands of shards. The
 * ring grows when the oldest and newest waiting shards lie further apart than it spans. A bit per bucket says
 * which hold shards, so that finding the lowest one skips empty buckets 64 at a time, as it must when long queues
 * are placed thousands of arrivals early ({@link ReadyShards}). Guarded by the work manager's lock.
 */
final class ReadyQueue<K, V> {

    /** Arrival numbers per bucket, as a shift. */
    private static final int SHIFT = 6;
    static final long BUCKET_SPAN = 1L << SHIFT;

    private ArrayDeque<Shard<K, V>>[] ring = newRing(64);
    /** Bit {@code i} set when {@code ring[i]} holds a shard. */
    private long[] occupied = new long[1];
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
        occupied[index >>> 6] |= 1L << index;
        size++;
    }

    /** Removes a shard that is in the queue at its {@link Shard#readySequence}; O(shards in its bucket). */
    void remove(Shard<K, V> shard) {
        int index = index(shard.readySequence >> SHIFT);
        ArrayDeque<Shard<K, V>> bucket = ring[index];
        if (bucket == null || !bucket.removeFirstOccurrence(shard)) {
            throw new IllegalStateException("Shard " + shard.key + " is not where the ready queue placed it");
        }
        unmarkIfEmpty(index);
        size--;
    }

    /** Removes and returns the oldest shard, or {@code null} if there is none. */
    Shard<K, V> poll() {
        if (size == 0) {
            return null;
        }
        size--;
        int index = lowestBucket();
        Shard<K, V> shard = ring[index].pollFirst();
        unmarkIfEmpty(index);
        return shard;
    }

    /** The oldest shard, or {@code null} if there is none. */
    Shard<K, V> peek() {
        return size == 0 ? null : ring[lowestBucket()].peekFirst();
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void removeIf(Predicate<Shard<K, V>> filter) {
        size = 0;
        for (int index = 0; index < ring.length; index++) {
            if (ring[index] != null) {
                ring[index].removeIf(filter);
                size += ring[index].size();
                unmarkIfEmpty(index);
            }
        }
    }

    void clear() {
        for (ArrayDeque<Shard<K, V>> bucket : ring) {
            if (bucket != null) {
                bucket.clear();
            }
        }
        Arrays.fill(occupied, 0);
        size = 0;
    }

    /**
     * Moves {@code low} up to the first non-empty bucket and returns its index in the ring; there is one, since
     * {@code size > 0}, and every shard lies within the ring's span from {@code low}, so the first occupied bucket
     * at or after {@code low}'s, going round, is the lowest.
     */
    private int lowestBucket() {
        int start = index(low);
        int word = start >>> 6;
        long bits = occupied[word] & (-1L << start);
        for (int seen = 0; bits == 0; seen++) {
            if (seen == occupied.length) {
                throw new IllegalStateException("The ready queue counts " + size + " shards but holds none");
            }
            word = (word + 1) & (occupied.length - 1);
            bits = occupied[word];
        }
        int index = (word << 6) + Long.numberOfTrailingZeros(bits);
        low += (index - start) & (ring.length - 1);
        return index;
    }

    /** Clears the bucket's bit once it holds no shard. */
    private void unmarkIfEmpty(int index) {
        if (ring[index].isEmpty()) {
            occupied[index >>> 6] &= ~(1L << index);
        }
    }

    private void grow(long newLow, long newHigh) {
        int capacity = ring.length;
        while (newHigh - newLow >= capacity) {
            capacity <<= 1;
        }
        ArrayDeque<Shard<K, V>>[] bigger = newRing(capacity);
        long[] biggerOccupied = new long[capacity >>> 6];
        for (long bucket = low; bucket <= high; bucket++) {
            ArrayDeque<Shard<K, V>> shards = ring[index(bucket)];
            if (shards != null && !shards.isEmpty()) {
                int index = (int) (bucket & (capacity - 1));
                bigger[index] = shards;
                biggerOccupied[index >>> 6] |= 1L << index;
            }
        }
        ring = bigger;
        occupied = biggerOccupied;
    }

    private int index(long bucket) {
        return (int) (bucket & (ring.length - 1));
    }

    @SuppressWarnings("unchecked")
    private static <K, V> ArrayDeque<Shard<K, V>>[] newRing(int capacity) {
        return (ArrayDeque<Shard<K, V>>[]) new ArrayDeque<?>[capacity];
    }
}
