package io.parallelconsumer.internal.poller;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.internal.events.ConsumerCounters;
import io.parallelconsumer.internal.work.CommittableWork;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits, per partition, the lowest offset not yet completed - with, in the metadata, the offsets above it that
 * are already done, unless switched off - asynchronously at a fixed interval, synchronously when partitions are
 * revoked and on shutdown. Only positions that changed since the last commit are sent. Runs on the
 * poller thread, which owns the consumer (asynchronous callbacks also run there, inside {@code poll}).
 */
final class OffsetCommitter<K, V> {

    private static final Logger log = LoggerFactory.getLogger(OffsetCommitter.class);

    private final Consumer<K, V> consumer;
    private final CommittableWork work;
    private final ConsumerCounters counters;
    private final ConsumerObserver observer;
    private final long intervalNanos;
    private final boolean withMetadata;
    private final Map<TopicPartition, OffsetAndMetadata> sent = new HashMap<>();
    private long nextCommitNanos;

    OffsetCommitter(Consumer<K, V> consumer, CommittableWork work, ConsumerCounters counters,
            ConsumerObserver observer, Duration interval, boolean withMetadata, long nowNanos) {
        this.consumer = consumer;
        this.work = work;
        this.counters = counters;
        this.observer = observer;
        this.intervalNanos = interval.toNanos();
        this.withMetadata = withMetadata;
        this.nextCommitNanos = nowNanos + intervalNanos;
    }

    /** Commits asynchronously if the interval has passed. */
    void maybeCommit(long nowNanos) {
        if (nowNanos - nextCommitNanos < 0) {
            return;
        }
        nextCommitNanos = nowNanos + intervalNanos;
        Map<TopicPartition, OffsetAndMetadata> offsets = changedOffsets(null);
        if (offsets.isEmpty()) {
            return;
        }
        Map<TopicPartition, Integer> epochs = epochsOf(offsets);
        consumer.commitAsync(offsets, (committed, failure) -> onResult(offsets, epochs, failure));
    }

    /**
     * Commits synchronously what is safe for these partitions ({@code null}: all assigned).
     * @return whether the commit succeeded (or there was nothing to commit)
     */
    boolean commitSync(Collection<TopicPartition> tps, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> offsets = changedOffsets(tps);
        if (offsets.isEmpty()) {
            return true;
        }
        Map<TopicPartition, Integer> epochs = epochsOf(offsets);
        try {
            commitSyncOnce(offsets, timeout);
            onResult(offsets, epochs, null);
            return true;
        }
        catch (RuntimeException ex) {
            onResult(offsets, epochs, ex);
            return false;
        }
    }

    private void commitSyncOnce(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        try {
            consumer.commitSync(offsets, timeout);
        }
        catch (WakeupException ex) {
            // A backpressure wake-up meant for a poll arrived first; it is used up, so this try goes through.
            consumer.commitSync(offsets, timeout);
        }
    }

    /** Forgets what was sent for partitions no longer assigned, so that a new epoch commits afresh. */
    void forget(Collection<TopicPartition> tps) {
        tps.forEach(sent::remove);
    }

    private Map<TopicPartition, OffsetAndMetadata> changedOffsets(Collection<TopicPartition> tps) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        work.commitPositions(tps, withMetadata).forEach((tp, position) -> {
            if (!position.equals(sent.get(tp))) {
                offsets.put(tp, position);
            }
        });
        sent.putAll(offsets);
        return offsets;
    }

    private Map<TopicPartition, Integer> epochsOf(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, Integer> epochs = new HashMap<>();
        offsets.keySet().forEach(tp -> epochs.put(tp, work.epoch(tp)));
        return epochs;
    }

    private void onResult(Map<TopicPartition, OffsetAndMetadata> offsets, Map<TopicPartition, Integer> epochs,
            Exception failure) {
        counters.commit(failure == null);
        observer.commitEnded(failure == null);
        if (failure == null) {
            offsets.forEach((tp, meta) -> work.committed(tp, epochs.get(tp), meta.offset()));
            log.trace("Committed {}", offsets);
            return;
        }
        // Send these again next time: nothing is lost, the next commit carries the same or higher offsets.
        offsets.forEach(sent::remove);
        if (failure instanceof RebalanceInProgressException || failure instanceof RetriableException) {
            log.debug("Offset commit for {} will be retried: {}", offsets.keySet(), failure.toString());
        }
        else {
            log.warn("Offset commit failed for {}: {}", offsets.keySet(), failure.toString());
        }
    }
}
