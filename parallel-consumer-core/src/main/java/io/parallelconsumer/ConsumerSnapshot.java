package io.parallelconsumer;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a {@link ParallelConsumer} at one moment: what the metrics, health and diagnostics layers read.
 * Taking it locks each partition's state briefly; it is meant for scrapes, not for every record.
 *
 * @param name the consumer's name (its Kafka {@code client.id} prefix)
 * @param groupId the consumer group
 * @param state the life-cycle state
 * @param failure why the consumer failed, when {@code state} is {@link ConsumerState#FAILED}; else {@code null}
 * @param unreachableSince since when the Kafka consumer has had no exchange with any broker: no connection open, or
 * no response on its open connections for 10 s (a network that drops packets keeps connections open), in which case
 * it is the time of the last response; {@code null} while it has (a consumer that cannot reach the cluster does not
 * fail, it waits, so this is how to notice). Checked about once a second.
 * @param takenAt when this snapshot was taken
 * @param maxInFlight the backpressure high mark
 * @param inFlight records fetched but not completed, over all partitions
 * @param queued records waiting for a worker
 * @param running records being processed right now
 * @param waitingRetry records waiting for their next attempt
 * @param pausedSince since when the application has paused the consumer ({@link ParallelConsumer#pause()}), or
 * {@code null} while it has not
 * @param counters totals since start
 * @param partitions one entry per assigned partition
 */
public record ConsumerSnapshot(String name, String groupId, ConsumerState state, Throwable failure,
        Instant unreachableSince, Instant takenAt,
        int maxInFlight, int inFlight, int queued, int running, int waitingRetry,
        Instant pausedSince, Counters counters, List<PartitionSnapshot> partitions) {

    /** Whether the application paused the consumer ({@link ParallelConsumer#pause()}). */
    public boolean pausedByApplication() {
        return pausedSince != null;
    }

    /**
     * Monotonic totals since the consumer started.
     *
     * @param succeeded records the handler completed
     * @param failedAttempts attempts that failed (each retry counts once)
     * @param skipped records given up on and skipped by the failure policy (including deserialization failures)
     * @param commitsSucceeded offset commits the broker acknowledged
     * @param commitsFailed offset commits that failed
     * @param backpressurePauses times backpressure paused fetching
     * @param alreadyDone records not run because a previous owner of their partition had completed them (known from
     * the commit metadata)
     * @param topics the record outcomes by topic, of which {@code succeeded}, {@code failedAttempts} and
     * {@code skipped} are the sums
     */
    public record Counters(long succeeded, long failedAttempts, long skipped, long commitsSucceeded,
            long commitsFailed, long backpressurePauses, long alreadyDone, Map<String, TopicCounters> topics) {

        public Counters {
            topics = Map.copyOf(topics);
        }

        /** Records the failure policy published to a dead-letter topic, over all topics. */
        public long deadLettered() {
            return topics.values().stream().mapToLong(TopicCounters::deadLettered).sum();
        }

        /** These counts and another consumer's added up, topic by topic: what two consumers of one name did. */
        public Counters plus(Counters other) {
            Map<String, TopicCounters> sum = new HashMap<>(topics);
            other.topics.forEach((topic, counts) -> sum.merge(topic, counts, TopicCounters::plus));
            return new Counters(succeeded + other.succeeded, failedAttempts + other.failedAttempts,
                    skipped + other.skipped, commitsSucceeded + other.commitsSucceeded,
                    commitsFailed + other.commitsFailed, backpressurePauses + other.backpressurePauses,
                    alreadyDone + other.alreadyDone, sum);
        }
    }

    /**
     * Monotonic totals of one topic's records since the consumer started.
     *
     * @param succeeded records the handler completed
     * @param failedAttempts attempts that failed (each retry counts once)
     * @param retried failed attempts that were tried again
     * @param failed records given up on: their attempts used up, or not deserializable
     * @param skipped records given up on that the failure policy skipped
     * @param deadLettered records given up on that the failure policy published to a dead-letter topic
     */
    public record TopicCounters(long succeeded, long failedAttempts, long retried, long failed, long skipped,
            long deadLettered) {

        /** Counts of a consumer that dead-letters nothing. */
        public TopicCounters(long succeeded, long failedAttempts, long retried, long failed, long skipped) {
            this(succeeded, failedAttempts, retried, failed, skipped, 0);
        }

        /** These counts and another's added up. */
        public TopicCounters plus(TopicCounters other) {
            return new TopicCounters(succeeded + other.succeeded, failedAttempts + other.failedAttempts,
                    retried + other.retried, failed + other.failed, skipped + other.skipped,
                    deadLettered + other.deadLettered);
        }
    }
}
