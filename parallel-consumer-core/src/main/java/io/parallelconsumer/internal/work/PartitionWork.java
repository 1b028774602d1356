package io.parallelconsumer.internal.work;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.internal.events.TopicTally;
import io.parallelconsumer.internal.offset.CompletedOffsets;
import io.parallelconsumer.internal.offset.OffsetWindow;
import org.apache.kafka.common.TopicPartition;

/**
 * Everything known about one assigned partition during one assignment (one epoch): its offset window, its shards
 * and counts. Once revoked it is never reused: late completions find it inactive and are dropped. Fields not marked
 * volatile are guarded by the work manager's lock.
 */
final class PartitionWork<K, V> {

    /** Stands for the {@code null} key, which counts as one key. */
    private static final Object NULL_KEY = new Object();

    final TopicPartition topicPartition;
    final int epoch;
    /** Where the outcomes of this partition's records are counted: its topic's, which outlives it. */
    final TopicTally tally;
    final OffsetWindow window = new OffsetWindow();
    private final Ordering ordering;
    /**
     * Shards by key. The poller looks keys up and creates their shards without the work manager's lock while the
     * partition is {@linkplain #asOneQueue not one queue} (so that it holds the lock only to queue records), while a
     * worker splitting the one queue may look up and create them under the lock at the same time - hence a
     * concurrent map, and creation by {@code putIfAbsent}, so that a key never gets two shards. Only the poller
     * removes shards ({@link #sweepIdleShards}, under the lock).
     */
    private final Map<Object, Shard<K, V>> shardsByKey;
    private final Shard<K, V> single;
    /** Under {@code KEY} ordering, the one queue of all the partition's records while {@link #asOneQueue}. */
    private final Shard<K, V> wholePartition;
    /**
     * Under {@code KEY} ordering: whether the partition's records go to one queue, in offset order, instead of a
     * queue per key (see {@link OneQueue}). Set by the poller under the work manager's lock; cleared under it
     * by any thread; read by the poller without it.
     */
    volatile boolean asOneQueue;
    /**
     * The key shards held busy for a run of the one queue that was split while it ran ({@link
     * OneQueue#holdLongRuns}); released when that run ends. {@code null} otherwise.
     */
    List<Shard<K, V>> heldByRun;
    /** A record was abandoned: its key stays blocked, so the partition never runs as one queue again. */
    boolean abandoned;
    /** Shards of idle keys the partition may keep before they are swept. */
    private final int minSweepThreshold;
    private int sweepThreshold;

    int queued;
    int running;
    int waitingRetry;
    /**
     * Still assigned and taking new work. Volatile because a worker reads it without the lock before it starts the
     * next record of a batch it was handed.
     */
    volatile boolean dispatching = true;
    /** Still assigned: completions count. False once fenced. */
    boolean active = true;

    /** Offsets a previous owner had already completed, from the commit metadata; dropped once fetched past. */
    CompletedOffsets alreadyDone;

    volatile long committedOffset = -1;
    volatile long logEndOffset = -1;
    volatile boolean paused;

    PartitionWork(TopicPartition topicPartition, int epoch, Ordering ordering, TopicTally tally,
            int minSweepThreshold) {
        this.topicPartition = topicPartition;
        this.tally = tally;
        this.minSweepThreshold = minSweepThreshold;
        this.sweepThreshold = minSweepThreshold;
        this.epoch = epoch;
        this.ordering = ordering;
        this.shardsByKey = ordering == Ordering.KEY ? new ConcurrentHashMap<>() : null;
        this.single = ordering == Ordering.KEY ? null : new Shard<>(this, topicPartition);
        this.wholePartition = ordering == Ordering.KEY ? new Shard<>(this, topicPartition, true) : null;
    }

    /** The shard of a key, created if need be (see {@link #shardsByKey} for who may call this, and when). */
    Shard<K, V> shardFor(Object key) {
        if (single != null) {
            return single;
        }
        // get, then create on a miss: computeIfAbsent with a lambda capturing this allocated the lambda per record
        Object normalized = normalize(key);
        Shard<K, V> shard = shardsByKey.get(normalized);
        if (shard == null) {
            Shard<K, V> created = new Shard<>(this, normalized);
            shard = shardsByKey.putIfAbsent(normalized, created);
            if (shard == null) {
                shard = created;
            }
        }
        return shard;
    }

    /**
     * Forgets the shards of keys that hold nothing, once there are more shards than the threshold, which then
     * becomes twice the shards left: memory follows live keys, while a key that comes back soon keeps its shard
     * (dropping a shard the moment it empties cost a map removal and a new shard per record when keys recur).
     * Poller thread, under the work manager's lock.
     */
    void sweepIdleShards() {
        if (shardsByKey == null || shardsByKey.size() <= sweepThreshold) {
            return;
        }
        shardsByKey.values().removeIf(shard -> shard.queue.isEmpty() && !shard.busy && !shard.inReady);
        sweepThreshold = Math.max(minSweepThreshold, 2 * shardsByKey.size());
    }

    /** Whether records of a shard must wait for the one running before them. */
    boolean ordered() {
        return ordering != Ordering.UNORDERED;
    }

    /** The queue of the whole partition under {@code KEY} ordering, or {@code null}. */
    Shard<K, V> wholePartition() {
        return wholePartition;
    }

    /** Records queued, running or waiting to retry. */
    int unfinished() {
        return queued + running + waitingRetry;
    }

    /** Every shard, the whole partition's queue included. */
    Iterable<Shard<K, V>> shards() {
        if (single != null) {
            return List.of(single);
        }
        List<Shard<K, V>> all = new ArrayList<>(shardsByKey.size() + 1);
        all.addAll(shardsByKey.values());
        all.add(wholePartition);
        return all;
    }

    /** Keys compare by value; byte arrays do not, so they are wrapped. */
    private static Object normalize(Object key) {
        if (key == null) {
            return NULL_KEY;
        }
        if (key instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        return key;
    }
}
