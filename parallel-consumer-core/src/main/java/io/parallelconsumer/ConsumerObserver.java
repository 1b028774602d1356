package io.parallelconsumer;

import java.util.Collection;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Told what happens inside a {@link ParallelConsumer}, for metrics and tracing layers that the core does not know
 * about (the Spring Boot starter binds Micrometer meters through one). Register with
 * {@link ParallelConsumerBuilder#observer(ConsumerObserver)}.
 * <p>
 * Per-record methods run on the thread that processed the record, right on the hot path: keep them to a few
 * counter updates. An observer that throws is logged and otherwise ignored; it can never lose a record. Every
 * method does nothing by default.
 */
public interface ConsumerObserver {

    /** An observer that ignores everything. */
    ConsumerObserver NONE = new ConsumerObserver() {
    };

    /** The consumer started; {@code consumer} can be kept to read {@link ParallelConsumer#snapshot()} later. */
    default void started(ParallelConsumer<?, ?> consumer) {
    }

    /** The consumer stopped, closed or failed ({@link ParallelConsumer#state()} says which); no more calls follow. */
    default void stopped(ParallelConsumer<?, ?> consumer) {
    }

    /** Partitions were assigned to the consumer; called on the poller thread inside the rebalance. */
    default void partitionsAssigned(Collection<TopicPartition> partitions) {
    }

    /** Partitions were revoked or lost; their state is gone. Called on the poller thread inside the rebalance. */
    default void partitionsRevoked(Collection<TopicPartition> partitions) {
    }

    /**
     * One run of the handler ended.
     * @param record the record
     * @param result how the run ended
     * @param durationNanos how long the run took, from the moment a worker took the record
     */
    default void attemptEnded(ConsumerRecord<?, ?> record, AttemptResult result, long durationNanos) {
    }

    /** A record failed for good (attempts used up, or undeserializable) and goes to the failure policy. */
    default void recordFailed(FailedRecord<?, ?> failed) {
    }

    /** The failure policy skipped a failed record: it counts as done and its offset will be committed. */
    default void recordSkipped(FailedRecord<?, ?> failed) {
    }

    /** The failure policy published a failed record to a dead-letter topic: done, its offset will be committed. */
    default void recordDeadLettered(FailedRecord<?, ?> failed) {
    }

    /** An offset commit ended; {@code success} is whether the broker acknowledged it. */
    default void commitEnded(boolean success) {
    }

    /**
     * Backpressure paused fetching (a partition or all) because too many records were in flight - or, with the
     * in-flight budget pressed, because a partition was far ahead of the others in a backlog.
     */
    default void backpressurePaused() {
    }
}
