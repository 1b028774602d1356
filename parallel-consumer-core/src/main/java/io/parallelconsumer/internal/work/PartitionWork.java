package io.parallelconsumer.internal.work;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.parallelconsumer.Ordering;
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
    final OffsetWindow window = new OffsetWindow();
    private final Ordering ordering;
    private final Map<Object, Shard<K, V>> shardsByKey;
    private final Shard<K, V> single;

    int queued;
    int running;
    int waitingRetry;
    /** Still assigned and taking new work. */
    boolean dispatching = true;
    /** Still assigned: completions count. False once fenced. */
    boolean active = true;

    /** Offsets a previous owner had already completed, from the commit metadata; dropped once fetched past. */
    CompletedOffsets alreadyDone;

    volatile long committedOffset = -1;
    volatile long logEndOffset = -1;
    volatile boolean paused;

    PartitionWork(TopicPartition topicPartition, int epoch, Ordering ordering) {
        this.topicPartition = topicPartition;
        this.epoch = epoch;
        this.ordering = ordering;
        this.shardsByKey = ordering == Ordering.KEY ? new HashMap<>() : null;
        this.single = ordering == Ordering.KEY ? null : new Shard<>(this, topicPartition);
    }

    Shard<K, V> shardFor(Object key) {
        if (single != null) {
            return single;
        }
        return shardsByKey.computeIfAbsent(normalize(key), k -> new Shard<>(this, k));
    }

    /** Forgets a key's shard once it holds nothing, so that memory follows live keys only. */
    void dropIfIdle(Shard<K, V> shard) {
        if (shardsByKey != null && shard.queue.isEmpty() && !shard.busy) {
            shardsByKey.remove(shard.key);
        }
    }

    /** Whether records of a shard must wait for the one running before them. */
    boolean ordered() {
        return ordering != Ordering.UNORDERED;
    }

    Iterable<Shard<K, V>> shards() {
        return single != null ? List.of(single) : shardsByKey.values();
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
