package io.parallelconsumer.spring.endpoint;

import java.util.List;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.ParallelConsumerOptions;
import io.parallelconsumer.PartitionSnapshot;

/**
 * One listener as the {@code parallelconsumers} endpoint shows it: its settings, its totals and each assigned
 * partition. Times are ISO-8601 strings, {@code null} where there is none.
 *
 * @param id the listener id
 * @param groupId the consumer group
 * @param state the life-cycle state (CREATED, RUNNING, STOPPING, STOPPED, FAILED), or PAUSED for a running
 * listener the application paused
 * @param failure why the consumer failed, or {@code null}
 * @param unreachableSince since when the consumer has had no exchange with any broker, or {@code null}
 * @param pausedByApplication whether the listener was paused through the endpoint or the registry
 * @param pausedSince since when it has been paused, or {@code null}
 * @param settings the settings the consumer was built with
 * @param inFlight records fetched but not completed
 * @param queued records waiting for a worker
 * @param running records being processed
 * @param waitingRetry records waiting for their next attempt
 * @param counters totals since the consumer started
 * @param partitions the assigned partitions
 */
public record ListenerDescriptor(String id, String groupId, String state, String failure, String unreachableSince,
        boolean pausedByApplication, String pausedSince, Settings settings, int inFlight, int queued, int running, int waitingRetry,
        ConsumerSnapshot.Counters counters, List<Partition> partitions) {

    static ListenerDescriptor of(String id, ParallelConsumerOptions<?, ?> options, ConsumerSnapshot snapshot) {
        boolean paused = snapshot.state() == ConsumerState.RUNNING && snapshot.pausedSince() != null;
        return new ListenerDescriptor(id, snapshot.groupId(), paused ? "PAUSED" : snapshot.state().name(),
                snapshot.failure() == null ? null : snapshot.failure().toString(),
                text(snapshot.unreachableSince()), snapshot.pausedByApplication(), text(snapshot.pausedSince()),
                Settings.of(options),
                snapshot.inFlight(), snapshot.queued(), snapshot.running(), snapshot.waitingRetry(),
                snapshot.counters(),
                snapshot.partitions().stream().map(partition -> Partition.of(partition, snapshot)).toList());
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /**
     * The settings of a listener's consumer.
     *
     * @param topics the subscribed topics (empty when a pattern is used)
     * @param topicPattern the subscribed pattern, or {@code null}
     * @param ordering KEY, PARTITION or UNORDERED
     * @param concurrency records that may run at once
     * @param engine PLATFORM, VIRTUAL or AUTO as configured, ASYNC for a listener returning a CompletionStage
     * @param maxInFlight the backpressure high mark
     * @param resumeRatio the fraction of maxInFlight at which fetching resumes
     * @param commitInterval how often offsets are committed
     * @param pollTimeout how long one poll may wait
     * @param maxAttempts attempts per record
     * @param backoff the delay before each retry
     * @param revokeTimeout how long a rebalance may spend finishing revoked partitions' records
     * @param shutdownTimeout how long a stop may spend finishing fetched records
     */
    public record Settings(List<String> topics, String topicPattern, String ordering, int concurrency, String engine,
            int maxInFlight, double resumeRatio, String commitInterval, String pollTimeout, int maxAttempts,
            String backoff, String revokeTimeout, String shutdownTimeout) {

        static Settings of(ParallelConsumerOptions<?, ?> options) {
            return new Settings(options.topics(), text(options.topicPattern()), options.ordering().name(),
                    options.concurrency(), options.asyncHandler() != null ? "ASYNC" : options.engine().name(),
                    options.maxInFlight(), options.resumeRatio(), text(options.commitInterval()),
                    text(options.pollTimeout()), options.maxAttempts(), text(options.backoff()),
                    text(options.revokeTimeout()),
                    text(options.shutdownTimeout()));
        }
    }

    /**
     * One assigned partition; offsets are -1 where not known.
     *
     * @param topic the topic
     * @param partition the partition
     * @param committedOffset the last offset committed and acknowledged
     * @param commitOffset the offset the next commit would carry
     * @param highestFetchedOffset the highest offset fetched
     * @param logEndOffset the log-end offset as of the last fetch
     * @param lag log-end offset minus committed offset
     * @param incomplete offsets fetched but not completed
     * @param gaps runs of incomplete offsets above the first
     * @param blockingOffset the lowest incomplete offset, holding back commits
     * @param blockedSince since when it has blocked, or {@code null}
     * @param blockedFor for how long it has blocked, or {@code null}
     * @param queued records waiting for a worker
     * @param inFlight records running or waiting to retry
     * @param paused whether fetching is paused
     */
    public record Partition(String topic, int partition, long committedOffset, long commitOffset,
            long highestFetchedOffset, long logEndOffset, long lag, int incomplete, int gaps, long blockingOffset,
            String blockedSince, String blockedFor, int queued, int inFlight, boolean paused) {

        static Partition of(PartitionSnapshot p, ConsumerSnapshot snapshot) {
            return new Partition(p.topic(), p.partition(), p.committedOffset(), p.commitOffset(),
                    p.highestFetchedOffset(), p.logEndOffset(), p.lag(), p.incomplete(), p.gaps(),
                    p.blockingOffset(), text(p.blockedSince()),
                    p.blockedSince() == null ? null : p.blockedFor(snapshot.takenAt()).toString(), p.queued(),
                    p.inFlight(), p.paused());
        }
    }
}
