package io.parallelconsumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.Consumer;

/**
 * The validated settings of a {@link ParallelConsumer}, as built by {@link ParallelConsumerBuilder}. Immutable.
 *
 * @param name names the consumer's threads and identifies it in logs and metrics
 * @param consumerProperties the Kafka consumer properties, with {@code enable.auto.commit=false} enforced
 * @param topics the subscribed topics, or an empty list when {@code topicPattern} is used
 * @param topicPattern the subscribed topic pattern, or {@code null} when {@code topics} is used
 * @param ordering how records may run side by side
 * @param concurrency how many records may run at once
 * @param engine the engine asked for (a blocking handler's threads); an async handler always runs asynchronously
 * @param handler the blocking handler, or {@code null} when {@code asyncHandler} is used
 * @param asyncHandler the asynchronous handler, or {@code null} when {@code handler} is used
 * @param maxInFlight how many records may be fetched but not completed before fetching pauses
 * @param resumeRatio the fraction of {@code maxInFlight} at which paused fetching resumes
 * @param commitInterval how often offsets are committed while running
 * @param pollTimeout how long one poll may wait for records
 * @param maxAttempts attempts per record before the failure policy decides (1: no retry)
 * @param backoff the delay before each retry
 * @param notRetryable failures that are not retried: the failure policy decides after the first attempt
 * @param failurePolicy what happens to a record whose attempts are used up, or that cannot be deserialized
 * @param revokeTimeout how long a rebalance may spend finishing records fetched from revoked partitions
 * @param shutdownTimeout how long {@link ParallelConsumer#close()} may spend finishing fetched records
 * @param consumerFactory creates the Kafka consumer from the consumer properties
 * @param observer told what happens, for metrics; {@link ConsumerObserver#NONE} when nobody listens
 * @param commitMetadata whether commits carry the done offsets above the committed one, so that a new owner of the
 * partition skips them
 * @param tracing follows each record from its first attempt to its end; {@code null} when records are not traced
 * @param <K> the key type
 * @param <V> the value type
 */
public record ParallelConsumerOptions<K, V>(String name, Map<String, Object> consumerProperties, List<String> topics,
        Pattern topicPattern, Ordering ordering, int concurrency, EngineType engine, RecordHandler<K, V> handler,
        AsyncRecordHandler<K, V> asyncHandler, int maxInFlight, double resumeRatio, Duration commitInterval,
        Duration pollTimeout, int maxAttempts, Backoff backoff, Predicate<Throwable> notRetryable,
        FailurePolicy<K, V> failurePolicy,
        Duration revokeTimeout, Duration shutdownTimeout,
        Function<Map<String, Object>, Consumer<K, V>> consumerFactory, ConsumerObserver observer,
        boolean commitMetadata, RecordTracing tracing) {

    /** The settings without tracing, as before tracing came. */
    public ParallelConsumerOptions(String name, Map<String, Object> consumerProperties, List<String> topics,
            Pattern topicPattern, Ordering ordering, int concurrency, EngineType engine, RecordHandler<K, V> handler,
            AsyncRecordHandler<K, V> asyncHandler, int maxInFlight, double resumeRatio, Duration commitInterval,
            Duration pollTimeout, int maxAttempts, Backoff backoff, Predicate<Throwable> notRetryable,
            FailurePolicy<K, V> failurePolicy, Duration revokeTimeout, Duration shutdownTimeout,
            Function<Map<String, Object>, Consumer<K, V>> consumerFactory, ConsumerObserver observer,
            boolean commitMetadata) {
        this(name, consumerProperties, topics, topicPattern, ordering, concurrency, engine, handler, asyncHandler,
                maxInFlight, resumeRatio, commitInterval, pollTimeout, maxAttempts, backoff, notRetryable,
                failurePolicy, revokeTimeout, shutdownTimeout, consumerFactory, observer, commitMetadata, null);
    }

    /** The consumer group, from the consumer properties. */
    public String groupId() {
        Object groupId = consumerProperties.get("group.id");
        return groupId == null ? null : groupId.toString();
    }
}
