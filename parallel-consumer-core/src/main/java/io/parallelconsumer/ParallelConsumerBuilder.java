package io.parallelconsumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.parallelconsumer.internal.KafkaClientVersion;
import io.parallelconsumer.internal.KafkaParallelConsumer;
import io.parallelconsumer.internal.engine.VirtualThreads;
import io.parallelconsumer.internal.events.Observers;
import io.parallelconsumer.internal.fetch.OriginalBytesDeserializer;
import io.parallelconsumer.internal.work.NotRetryable;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Builds a {@link ParallelConsumer}. Everything but the consumer properties, the subscription and the handler has a
 * default; {@link #build()} checks the whole configuration and says what to change when it is wrong.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ParallelConsumerBuilder<K, V> {

    public static final Ordering DEFAULT_ORDERING = Ordering.KEY;
    public static final EngineType DEFAULT_ENGINE = EngineType.PLATFORM;
    public static final boolean DEFAULT_COMMIT_METADATA = true;
    /** Default number of records processed at once. */
    public static final int DEFAULT_CONCURRENCY = 16;
    /** Default lower bound of {@code maxInFlight}; the default is the larger of this and 32 x concurrency. */
    public static final int DEFAULT_MIN_MAX_IN_FLIGHT = 1000;
    /**
     * Default records in flight per unit of concurrency: enough that, under KEY ordering, the records fetched cover
     * many more keys than there are workers (measured: 8 x left 12 % of a 5 ms handler's ceiling unused, 32 x 8 %).
     */
    public static final int DEFAULT_IN_FLIGHT_PER_WORKER = 32;
    public static final double DEFAULT_RESUME_RATIO = 0.7;
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofMillis(100);
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(10);
    public static final double DEFAULT_BACKOFF_JITTER = 0.2;
    public static final Backoff DEFAULT_BACKOFF = Backoff.exponential(DEFAULT_BACKOFF_INITIAL,
            DEFAULT_BACKOFF_MULTIPLIER, DEFAULT_BACKOFF_MAX, DEFAULT_BACKOFF_JITTER);
    public static final Duration DEFAULT_REVOKE_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Default {@code fetch.max.wait.ms} when the consumer properties leave it unset (Kafka's own is 500 ms). A
     * consumer has one fetch in flight per broker; while it long-polls partitions that have no data, partitions
     * resumed after backpressure cannot be fetched. Measured on a 200,000-record drain: runs stalled about 0.5 s
     * with Kafka's default, not with a short wait.
     */
    public static final int DEFAULT_FETCH_MAX_WAIT_MS = 100;

    private String name;
    private final Map<String, Object> consumerProperties = new LinkedHashMap<>();
    private List<String> topics = List.of();
    private Pattern topicPattern;
    private Ordering ordering = DEFAULT_ORDERING;
    private int concurrency = DEFAULT_CONCURRENCY;
    private EngineType engine = DEFAULT_ENGINE;
    private RecordHandler<K, V> handler;
    private AsyncRecordHandler<K, V> asyncHandler;
    private Integer maxInFlight;
    private double resumeRatio = DEFAULT_RESUME_RATIO;
    private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
    private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Backoff backoff = DEFAULT_BACKOFF;
    private final List<Class<? extends Throwable>> notRetryableTypes = new ArrayList<>();
    private final List<Predicate<? super Throwable>> notRetryablePredicates = new ArrayList<>();
    private FailurePolicy<K, V> failurePolicy = FailurePolicy.logAndSkip();
    private Duration revokeTimeout = DEFAULT_REVOKE_TIMEOUT;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private Deserializer<K> keyDeserializer;
    private Deserializer<V> valueDeserializer;
    private Function<Map<String, Object>, Consumer<K, V>> consumerFactory;
    private final List<ConsumerObserver> observers = new ArrayList<>();
    private boolean commitMetadata = DEFAULT_COMMIT_METADATA;
    private RecordTracing tracing;

    ParallelConsumerBuilder() {
    }

    /** Kafka consumer properties: at least {@code bootstrap.servers}, {@code group.id} and deserializers. */
    public ParallelConsumerBuilder<K, V> consumerProperties(Map<String, ?> properties) {
        this.consumerProperties.putAll(Objects.requireNonNull(properties, "properties"));
        return this;
    }

    /** Sets one Kafka consumer property. */
    public ParallelConsumerBuilder<K, V> consumerProperty(String key, Object value) {
        this.consumerProperties.put(key, value);
        return this;
    }

    public ParallelConsumerBuilder<K, V> topics(List<String> topics) {
        this.topics = List.copyOf(Objects.requireNonNull(topics, "topics"));
        return this;
    }

    public ParallelConsumerBuilder<K, V> topics(String... topics) {
        return topics(Arrays.asList(topics));
    }

    /** Subscribes to every topic whose name matches, now or later; instead of {@link #topics}. */
    public ParallelConsumerBuilder<K, V> topicPattern(Pattern pattern) {
        this.topicPattern = pattern;
        return this;
    }

    /** Defaults to {@link Ordering#KEY}. */
    public ParallelConsumerBuilder<K, V> ordering(Ordering ordering) {
        this.ordering = ordering;
        return this;
    }

    /** How many records may run at once; defaults to {@value #DEFAULT_CONCURRENCY}. */
    public ParallelConsumerBuilder<K, V> concurrency(int concurrency) {
        this.concurrency = concurrency;
        return this;
    }

    /** Which threads run a blocking handler; defaults to {@link EngineType#PLATFORM}. */
    public ParallelConsumerBuilder<K, V> engine(EngineType engine) {
        this.engine = engine;
        return this;
    }

    /** A handler that returns when the record is done. */
    public ParallelConsumerBuilder<K, V> handler(RecordHandler<K, V> handler) {
        this.handler = handler;
        return this;
    }

    /** A handler that returns a stage completing when the record is done; holds no thread meanwhile. */
    public ParallelConsumerBuilder<K, V> asyncHandler(AsyncRecordHandler<K, V> handler) {
        this.asyncHandler = handler;
        return this;
    }

    /**
     * How many records may be fetched but not completed before fetching pauses; defaults to the larger of
     * {@value #DEFAULT_MIN_MAX_IN_FLIGHT} and 32 x concurrency. Bounds memory whatever the handler's speed.
     */
    public ParallelConsumerBuilder<K, V> maxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return this;
    }

    /** The fraction of {@code maxInFlight} at which paused fetching resumes, in (0, 1); defaults to 0.7. */
    public ParallelConsumerBuilder<K, V> resumeRatio(double resumeRatio) {
        this.resumeRatio = resumeRatio;
        return this;
    }

    /** How often offsets are committed while running; defaults to 1 s. */
    public ParallelConsumerBuilder<K, V> commitInterval(Duration commitInterval) {
        this.commitInterval = commitInterval;
        return this;
    }

    /** How long one poll may wait for records; defaults to 100 ms. */
    public ParallelConsumerBuilder<K, V> pollTimeout(Duration pollTimeout) {
        this.pollTimeout = pollTimeout;
        return this;
    }

    /** Attempts per record before the failure policy decides; 1 means no retry. Defaults to 3. */
    public ParallelConsumerBuilder<K, V> maxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    /** The delay before each retry; defaults to exponential from 100 ms, x2, up to 10 s, with 20 % jitter. */
    public ParallelConsumerBuilder<K, V> backoff(Backoff backoff) {
        this.backoff = backoff;
        return this;
    }

    /**
     * Failures of these types, or caused by them, are not retried: the failure policy decides after the first attempt
     * (a record that can never succeed - a validation failure, say - need not wait through its backoffs). May be
     * called more than once; none by default.
     */
    @SafeVarargs
    public final ParallelConsumerBuilder<K, V> notRetryable(Class<? extends Throwable>... types) {
        for (Class<? extends Throwable> type : types) {
            notRetryableTypes.add(Objects.requireNonNull(type, "notRetryable type"));
        }
        return this;
    }

    /** Failures that match {@code predicate} are not retried, as with {@link #notRetryable(Class[])}. */
    public ParallelConsumerBuilder<K, V> notRetryableIf(Predicate<? super Throwable> predicate) {
        notRetryablePredicates.add(Objects.requireNonNull(predicate, "notRetryableIf predicate"));
        return this;
    }

    /** What happens to records that cannot be processed; defaults to {@link FailurePolicy#logAndSkip()}. */
    public ParallelConsumerBuilder<K, V> failurePolicy(FailurePolicy<K, V> failurePolicy) {
        this.failurePolicy = failurePolicy;
        return this;
    }

    /**
     * How long a rebalance may spend finishing the records already fetched from revoked partitions before it
     * commits and lets them go; defaults to 5 s. Records not done by then are delivered again to the next owner.
     */
    public ParallelConsumerBuilder<K, V> revokeTimeout(Duration revokeTimeout) {
        this.revokeTimeout = revokeTimeout;
        return this;
    }

    /** How long {@link ParallelConsumer#close()} may spend finishing fetched records; defaults to 30 s. */
    public ParallelConsumerBuilder<K, V> shutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
        return this;
    }

    /** Names threads and identifies the consumer; defaults to the group id. */
    public ParallelConsumerBuilder<K, V> name(String name) {
        this.name = name;
        return this;
    }

    /** A key deserializer instance, instead of the {@code key.deserializer} property. */
    public ParallelConsumerBuilder<K, V> keyDeserializer(Deserializer<K> deserializer) {
        this.keyDeserializer = deserializer;
        return this;
    }

    /** A value deserializer instance, instead of the {@code value.deserializer} property. */
    public ParallelConsumerBuilder<K, V> valueDeserializer(Deserializer<V> deserializer) {
        this.valueDeserializer = deserializer;
        return this;
    }

    /**
     * Creates the Kafka consumer from the final consumer properties, for example through Spring Kafka's
     * {@code ConsumerFactory}; deserializer instances set here are then the factory's business. Defaults to
     * {@link KafkaConsumer}.
     */
    public ParallelConsumerBuilder<K, V> consumerFactory(Function<Map<String, Object>, Consumer<K, V>> factory) {
        this.consumerFactory = factory;
        return this;
    }

    /**
     * Adds an observer told of every record outcome, commit, rebalance and backpressure pause, for metrics; may be
     * called more than once, and each observer is told in the order added.
     */
    public ParallelConsumerBuilder<K, V> observer(ConsumerObserver observer) {
        this.observers.add(Objects.requireNonNull(observer, "observer"));
        return this;
    }

    /**
     * Traces each record from its first attempt to its end (see {@link RecordTracing}); {@code null}, the default,
     * traces nothing. A later call replaces an earlier one.
     */
    public ParallelConsumerBuilder<K, V> tracing(RecordTracing tracing) {
        this.tracing = tracing;
        return this;
    }

    /**
     * Whether each commit carries, in its metadata, the offsets above the committed one that are already done, so
     * that whoever owns the partition next - this consumer after a restart or a crash, or another member after a
     * rebalance - skips them instead of processing them again; defaults to {@code true}. Switch it off if the
     * application puts its own data in commit metadata. The text is bounded (3,000 characters) well below the
     * broker's {@code offset.metadata.max.bytes}; what does not fit is simply processed again.
     */
    public ParallelConsumerBuilder<K, V> commitMetadata(boolean commitMetadata) {
        this.commitMetadata = commitMetadata;
        return this;
    }

    /** The validated, immutable settings. */
    public ParallelConsumerOptions<K, V> options() {
        List<String> problems = new ArrayList<>();
        String client = KafkaClientVersion.problem();
        if (client != null) {
            problems.add(client);
        }
        validateSubscription(problems);
        validateHandling(problems);
        Map<String, Object> properties = validateConsumerProperties(problems);
        int inFlight = maxInFlight != null ? maxInFlight : Math.max(DEFAULT_MIN_MAX_IN_FLIGHT, DEFAULT_IN_FLIGHT_PER_WORKER * concurrency);
        if (maxInFlight != null && maxInFlight < concurrency) {
            problems.add("maxInFlight (" + maxInFlight + ") must be at least concurrency (" + concurrency
                    + "), or workers would sit idle; raise maxInFlight or lower concurrency");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid parallel consumer configuration:\n - "
                    + String.join("\n - ", problems));
        }
        keepOriginalBytes(properties);
        String resolvedName = name != null ? name : String.valueOf(properties.get(ConsumerConfig.GROUP_ID_CONFIG));
        return new ParallelConsumerOptions<>(resolvedName, Collections.unmodifiableMap(properties), topics,
                topicPattern, ordering, concurrency, engine, handler, asyncHandler, inFlight, resumeRatio,
                commitInterval, pollTimeout, maxAttempts, backoff,
                new NotRetryable(notRetryableTypes, notRetryablePredicates), failurePolicy, revokeTimeout,
                shutdownTimeout,
                resolveConsumerFactory(), Observers.of(observers), commitMetadata, tracing);
    }

    /** Validates the configuration and creates the consumer, not yet started. */
    public ParallelConsumer<K, V> build() {
        return new KafkaParallelConsumer<>(options());
    }

    private void validateSubscription(List<String> problems) {
        if (topics.isEmpty() == (topicPattern == null)) {
            problems.add("set exactly one of topics(...) and topicPattern(...)");
        }
        for (String topic : topics) {
            if (topic == null || topic.isBlank()) {
                problems.add("topic names must not be blank, but topics were " + topics);
                break;
            }
        }
    }

    private void validateHandling(List<String> problems) {
        if ((handler == null) == (asyncHandler == null)) {
            problems.add("set exactly one of handler(...) and asyncHandler(...)");
        }
        if (ordering == null) {
            problems.add("ordering must not be null; choose KEY, PARTITION or UNORDERED");
        }
        if (engine == null) {
            problems.add("engine must not be null; choose PLATFORM, VIRTUAL or AUTO");
        }
        else if (engine == EngineType.VIRTUAL && asyncHandler == null && !VirtualThreads.available()) {
            problems.add("engine VIRTUAL needs Java 21 or later, but this JVM is " + System.getProperty("java.version")
                    + "; use PLATFORM or AUTO");
        }
        if (concurrency < 1) {
            problems.add("concurrency must be at least 1, but was " + concurrency);
        }
        if (maxInFlight != null && maxInFlight < 1) {
            problems.add("maxInFlight must be at least 1, but was " + maxInFlight);
        }
        if (!(resumeRatio > 0.0 && resumeRatio < 1.0)) {
            problems.add("resumeRatio must be within (0, 1), exclusive, but was " + resumeRatio);
        }
        if (maxAttempts < 1) {
            problems.add("maxAttempts must be at least 1 (1 means no retry), but was " + maxAttempts);
        }
        if (backoff == null) {
            problems.add("backoff must not be null; use Backoff.none() for no delay");
        }
        if (failurePolicy == null) {
            problems.add("failurePolicy must not be null");
        }
        requirePositive(problems, "commitInterval", commitInterval);
        requirePositive(problems, "pollTimeout", pollTimeout);
        requirePositive(problems, "revokeTimeout", revokeTimeout);
        requirePositive(problems, "shutdownTimeout", shutdownTimeout);
    }

    private static void requirePositive(List<String> problems, String what, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            problems.add(what + " must be a positive duration, but was " + duration);
        }
    }

    private Map<String, Object> validateConsumerProperties(List<String> problems) {
        Map<String, Object> properties = new LinkedHashMap<>(consumerProperties);
        Object autoCommit = properties.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        if (autoCommit != null && Boolean.parseBoolean(autoCommit.toString())) {
            problems.add("enable.auto.commit=true is not allowed: the parallel consumer commits only completed "
                    + "offsets itself; remove the property or set it to false");
        }
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, DEFAULT_FETCH_MAX_WAIT_MS);
        if (isBlank(properties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) && consumerFactory == null) {
            problems.add("consumer property bootstrap.servers is required");
        }
        if (isBlank(properties.get(ConsumerConfig.GROUP_ID_CONFIG))) {
            problems.add("consumer property group.id is required: offsets are committed to the group");
        }
        if (consumerFactory == null) {
            if (keyDeserializer == null && properties.get(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG) == null) {
                problems.add("set consumer property key.deserializer or keyDeserializer(...)");
            }
            if (valueDeserializer == null && properties.get(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG) == null) {
                problems.add("set consumer property value.deserializer or valueDeserializer(...)");
            }
        }
        return properties;
    }

    private static boolean isBlank(Object value) {
        return value == null || value.toString().isBlank();
    }

    private Function<Map<String, Object>, Consumer<K, V>> resolveConsumerFactory() {
        if (consumerFactory != null) {
            return consumerFactory;
        }
        boolean keep = failurePolicy.keepsOriginalBytes();
        Deserializer<K> keys = keep && keyDeserializer != null ? OriginalBytesDeserializer.forKeys(keyDeserializer)
                : keyDeserializer;
        Deserializer<V> values = keep && valueDeserializer != null
                ? OriginalBytesDeserializer.forValues(valueDeserializer) : valueDeserializer;
        return properties -> new KafkaConsumer<>(properties, keys, values);
    }

    /**
     * For a failure policy that keeps the original bytes: the deserializers the properties name are created by
     * {@link OriginalBytesDeserializer}, which keeps the bytes it deserializes. Instances set on this builder are
     * wrapped instead (see {@link #resolveConsumerFactory}); a consumer factory that ignores the properties' deserializers
     * keeps no bytes, which the policy then says when it needs them.
     */
    private void keepOriginalBytes(Map<String, Object> properties) {
        if (!failurePolicy.keepsOriginalBytes()) {
            return;
        }
        if (consumerFactory != null || keyDeserializer == null) {
            nameThroughWrapper(properties, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    OriginalBytesDeserializer.KEY_DELEGATE, OriginalBytesDeserializer.Key.class);
        }
        if (consumerFactory != null || valueDeserializer == null) {
            nameThroughWrapper(properties, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    OriginalBytesDeserializer.VALUE_DELEGATE, OriginalBytesDeserializer.Value.class);
        }
    }

    /** The deserializer the property names moves to {@code delegateProperty}; the wrapper takes its place. */
    private static void nameThroughWrapper(Map<String, Object> properties, String property, String delegateProperty,
            Class<?> wrapper) {
        Object named = properties.get(property);
        if (named != null) {
            properties.put(delegateProperty, named);
            properties.put(property, wrapper);
        }
    }
}
