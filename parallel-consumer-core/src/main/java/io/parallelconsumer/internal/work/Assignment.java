package io.parallelconsumer.internal.work;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.PartitionSnapshot;
import io.parallelconsumer.internal.events.ConsumerCounters;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The assigned partitions and their epochs, and what is read off them for commits and snapshots. A partition gets a
 * new {@link PartitionWork} per assignment; the old one is fenced, so that late completions of a revoked epoch are
 * dropped and never committed. Guarded by the work manager's lock; the poller, which alone assigns partitions, may
 * look one up without it.
 */
final class Assignment<K, V> {

    private final Map<TopicPartition, PartitionWork<K, V>> partitions = new HashMap<>();
    private final Map<TopicPartition, Integer> epochs = new HashMap<>();
    private final Ordering ordering;
    private final WorkCounts counts;
    private final ConsumerCounters counters;
    private final int minShardSweep;

    Assignment(Ordering ordering, WorkCounts counts, ConsumerCounters counters, WorkTuning tuning) {
        this.ordering = ordering;
        this.counts = counts;
        this.counters = counters;
        this.minShardSweep = tuning.minShardSweep();
    }

    /** Starts a new epoch for a newly assigned partition, fencing the previous one if still there. */
    PartitionWork<K, V> assign(TopicPartition tp) {
        int epoch = epochs.merge(tp, 1, Integer::sum);
        PartitionWork<K, V> pw = new PartitionWork<>(tp, epoch, ordering, counters.topic(tp.topic()), minShardSweep);
        PartitionWork<K, V> previous = partitions.put(tp, pw);
        if (previous != null) {
            fence(previous);
        }
        return pw;
    }

    /** Forgets a partition; its completions are dropped from now on. */
    void revoke(TopicPartition tp) {
        PartitionWork<K, V> pw = partitions.remove(tp);
        if (pw != null) {
            fence(pw);
        }
    }

    private void fence(PartitionWork<K, V> pw) {
        stopDispatching(pw);
        pw.active = false;
        counts.fenced(pw);
    }

    /** Stops starting records of a partition: what is queued or waiting to retry is dropped (it stays incomplete). */
    void stopDispatching(PartitionWork<K, V> pw) {
        if (!pw.dispatching) {
            return;
        }
        pw.dispatching = false;
        for (Shard<K, V> shard : pw.shards()) {
            shard.queue.clear();
            shard.inReady = false;
        }
        counts.dropped(pw);
    }

    /** The partition's current work, or {@code null}. */
    PartitionWork<K, V> get(TopicPartition tp) {
        return partitions.get(tp);
    }

    /** The partition's current work if it is still assigned, or {@code null}. */
    PartitionWork<K, V> active(TopicPartition tp) {
        PartitionWork<K, V> pw = partitions.get(tp);
        return pw != null && pw.active ? pw : null;
    }

    /** The partition's current work, which must still take records. */
    PartitionWork<K, V> requireDispatching(TopicPartition tp) {
        PartitionWork<K, V> pw = partitions.get(tp);
        if (pw == null || !pw.dispatching) {
            throw new IllegalStateException("Records fetched for " + tp + ", which is not assigned to this consumer");
        }
        return pw;
    }

    Collection<PartitionWork<K, V>> all() {
        return partitions.values();
    }

    /** A count summed over these partitions; those not assigned count 0. */
    int sum(Collection<TopicPartition> tps, ToIntFunction<PartitionWork<K, V>> count) {
        int sum = 0;
        for (TopicPartition tp : tps) {
            PartitionWork<K, V> pw = partitions.get(tp);
            sum += pw == null ? 0 : count.applyAsInt(pw);
        }
        return sum;
    }

    /** The lowest incomplete offset of each of these partitions ({@code null}: all) that has fetched anything. */
    Map<TopicPartition, OffsetAndMetadata> commitPositions(Collection<TopicPartition> tps, boolean withMetadata) {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition tp : tps == null ? partitions.keySet() : tps) {
            PartitionWork<K, V> pw = active(tp);
            if (pw != null) {
                long offset = pw.window.commitOffset();
                if (offset >= 0) {
                    String metadata = withMetadata ? pw.window.completedMetadata() : null;
                    positions.put(tp, new OffsetAndMetadata(offset, metadata == null ? "" : metadata));
                }
            }
        }
        return positions;
    }

    Map<TopicPartition, Integer> incompleteByPartition() {
        Map<TopicPartition, Integer> counts = new HashMap<>(partitions.size() * 2);
        partitions.forEach((tp, pw) -> counts.put(tp, pw.window.incomplete()));
        return counts;
    }

    /** The state of every partition, wall-clock times derived from the monotonic {@code nowNanos}. */
    List<PartitionSnapshot> snapshots(Instant now, long nowNanos) {
        List<PartitionSnapshot> result = new ArrayList<>(partitions.size());
        for (PartitionWork<K, V> pw : partitions.values()) {
            long blocking = pw.window.blockingOffset();
            Instant blockedSince = blocking < 0 ? null
                    : now.minusNanos(Math.max(0, nowNanos - pw.window.blockedSinceNanos()));
            result.add(new PartitionSnapshot(pw.topicPartition.topic(), pw.topicPartition.partition(), pw.epoch,
                    pw.committedOffset, pw.window.commitOffset(), pw.window.highestOffset(), pw.logEndOffset,
                    pw.window.incomplete(), pw.window.gaps(), blocking, blockedSince, pw.queued,
                    pw.running + pw.waitingRetry, pw.paused));
        }
        return result;
    }
}
