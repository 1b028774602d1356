package io.parallelconsumer.spring.listener;

import java.time.Duration;
import java.util.List;

import io.parallelconsumer.Backoff;
import io.parallelconsumer.EngineType;
import io.parallelconsumer.Ordering;
import io.parallelconsumer.ParallelConsumerBuilder;
import io.parallelconsumer.deadletter.DeadLetterPublisher;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.PropertyMapper;

/**
 * The tuning of a listener, under the same keys for every listener ({@code parallel-consumer.*}) and for one
 * ({@code parallel-consumer.listeners.<id>.*}). Every value is {@code null} until set, so that a more general
 * setting, and in the end the library's own default ({@link ParallelConsumerBuilder}), applies where it is not.
 */
public class ListenerSettings {

    /** Which records may run side by side: key (one at a time per key and partition), partition or unordered. */
    private Ordering ordering;

    /** Records processed at once by each listener. */
    private Integer concurrency;

    /** Threads that run blocking listener methods: platform, virtual (Java 21+) or auto (virtual when available). */
    private EngineType engine;

    /** Records fetched but not completed before fetching pauses. Defaults to max(1000, 32 x concurrency). */
    private Integer maxInFlight;

    /** Fraction of max-in-flight at which paused fetching resumes, within (0, 1). */
    private Double resumeRatio;

    /** How often completed offsets are committed. */
    private Duration commitInterval;

    /** Longest wait of one poll for records. */
    private Duration pollTimeout;

    /** Time a rebalance may spend finishing records already fetched from revoked partitions. */
    private Duration revokeTimeout;

    /** Time a listener may spend finishing records already fetched when it stops. */
    private Duration shutdownTimeout;

    /** Whether listeners start with the application context. */
    private Boolean autoStartup;

    /**
     * Whether commits carry, in their metadata, the offsets above the committed one that are already done, so that
     * the next owner of a partition (after a restart or a rebalance) skips them; off if the application uses
     * commit metadata itself.
     */
    private Boolean commitMetadata;

    /**
     * Whether each record's processing is a Micrometer Observation (a span when tracing is on, continuing the trace
     * of the record's headers), like spring.kafka.listener.observation-enabled for Spring Kafka's listeners. Needs an
     * ObservationRegistry bean.
     */
    private Boolean observationEnabled;

    /** Retries of failed records. */
    @NestedConfigurationProperty
    private final Retry retry = new Retry();

    /** Dead-letter topics for records given up on. */
    @NestedConfigurationProperty
    private final DeadLetter deadLetter = new DeadLetter();

    /**
     * Applies the values set here to the builder, over what it holds already; what is not set here stays.
     */
    public void applyTo(ParallelConsumerBuilder<?, ?> builder) {
        PropertyMapper map = PropertyMapper.get();
        map.from(ordering).to(builder::ordering);
        map.from(concurrency).to(builder::concurrency);
        map.from(engine).to(builder::engine);
        map.from(maxInFlight).to(builder::maxInFlight);
        map.from(resumeRatio).to(builder::resumeRatio);
        map.from(commitInterval).to(builder::commitInterval);
        map.from(pollTimeout).to(builder::pollTimeout);
        map.from(revokeTimeout).to(builder::revokeTimeout);
        map.from(shutdownTimeout).to(builder::shutdownTimeout);
        map.from(commitMetadata).to(builder::commitMetadata);
        map.from(maxAttempts()).to(builder::maxAttempts);
        if (retry.notRetryable != null) {
            retry.notRetryable.forEach(builder::notRetryable);
        }
    }

    /** Attempts per record set at this level, or {@code null}. */
    protected Integer maxAttempts() {
        return retry.maxAttempts;
    }

    /** The retry backoff values set at this level. */
    protected BackoffSettings backoffSettings() {
        return retry.backoff;
    }

    /**
     * The retry backoff of a listener at this level: each value from here, else from {@code fallback} (the level
     * below), else the library's default.
     */
    public Backoff backoff(ListenerSettings fallback) {
        return backoffSettings().over(fallback.backoffSettings());
    }

    /** The first of these values that is set, or {@code null}. */
    @SafeVarargs
    protected static <T> T first(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    public Ordering getOrdering() {
        return ordering;
    }

    public void setOrdering(Ordering ordering) {
        this.ordering = ordering;
    }

    public Integer getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    public EngineType getEngine() {
        return engine;
    }

    public void setEngine(EngineType engine) {
        this.engine = engine;
    }

    public Integer getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(Integer maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public Double getResumeRatio() {
        return resumeRatio;
    }

    public void setResumeRatio(Double resumeRatio) {
        this.resumeRatio = resumeRatio;
    }

    public Duration getCommitInterval() {
        return commitInterval;
    }

    public void setCommitInterval(Duration commitInterval) {
        this.commitInterval = commitInterval;
    }

    public Duration getPollTimeout() {
        return pollTimeout;
    }

    public void setPollTimeout(Duration pollTimeout) {
        this.pollTimeout = pollTimeout;
    }

    public Duration getRevokeTimeout() {
        return revokeTimeout;
    }

    public void setRevokeTimeout(Duration revokeTimeout) {
        this.revokeTimeout = revokeTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Boolean getAutoStartup() {
        return autoStartup;
    }

    public void setAutoStartup(Boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public Boolean getCommitMetadata() {
        return commitMetadata;
    }

    public void setCommitMetadata(Boolean commitMetadata) {
        this.commitMetadata = commitMetadata;
    }

    public Boolean getObservationEnabled() {
        return observationEnabled;
    }

    public void setObservationEnabled(Boolean observationEnabled) {
        this.observationEnabled = observationEnabled;
    }

    /** Whether a listener at this level is observed: set here, else in {@code fallback}, else not. */
    public boolean observationEnabled(ListenerSettings fallback) {
        return first(observationEnabled, fallback.observationEnabled, false);
    }

    public Retry getRetry() {
        return retry;
    }

    public DeadLetter getDeadLetter() {
        return deadLetter;
    }

    /**
     * The dead-letter settings of a listener at this level: each value from here, else from {@code fallback} (the
     * level below), else the default.
     */
    public DeadLetter deadLetter(ListenerSettings fallback) {
        DeadLetter resolved = new DeadLetter();
        resolved.enabled = first(deadLetter.enabled, fallback.deadLetter.enabled, false);
        resolved.topicSuffix = first(deadLetter.topicSuffix, fallback.deadLetter.topicSuffix,
                DeadLetterPublisher.Builder.DEFAULT_SUFFIX);
        resolved.samePartition = first(deadLetter.samePartition, fallback.deadLetter.samePartition, true);
        return resolved;
    }

    /** Dead-letter topics: where records given up on go instead of being skipped. */
    public static class DeadLetter {

        /**
         * Whether records given up on (attempts used up, not retryable, or not deserializable) are published to a
         * dead-letter topic with their bytes as fetched and Spring Kafka's kafka_dlt-* headers, and committed only
         * once the broker has them. Off: they are logged and skipped.
         */
        private Boolean enabled;

        /** What is appended to a record's topic to name its dead-letter topic, which must exist. */
        private String topicSuffix;

        /**
         * Whether a record goes to the partition of the same number in the dead-letter topic, when it has one;
         * otherwise the producer chooses.
         */
        private Boolean samePartition;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public String getTopicSuffix() {
            return topicSuffix;
        }

        public void setTopicSuffix(String topicSuffix) {
            this.topicSuffix = topicSuffix;
        }

        public Boolean getSamePartition() {
            return samePartition;
        }

        public void setSamePartition(Boolean samePartition) {
            this.samePartition = samePartition;
        }
    }

    /** Retries of failed records. */
    public static class Retry {

        /** Attempts per record before it is given up on (1 means no retry). */
        private Integer maxAttempts;

        /** Delay between attempts. */
        @NestedConfigurationProperty
        private final BackoffSettings backoff = new BackoffSettings();

        /**
         * Exception types not worth a retry: a record whose handler fails with one of them, or with an exception
         * caused by one, goes to the failure policy after its first attempt. Those listed for a listener add to the
         * global ones.
         */
        private List<Class<? extends Throwable>> notRetryable;

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public BackoffSettings getBackoff() {
            return backoff;
        }

        public List<Class<? extends Throwable>> getNotRetryable() {
            return notRetryable;
        }

        public void setNotRetryable(List<Class<? extends Throwable>> notRetryable) {
            this.notRetryable = notRetryable;
        }
    }

    /** Exponential backoff with jitter; a multiplier of 1 gives a fixed delay. */
    public static class BackoffSettings {

        /** The library's defaults, every value set; never handed out, since the settings are mutable. */
        private static final BackoffSettings DEFAULTS = defaults();

        /** Delay before the first retry. */
        private Duration initial;

        /** Factor applied to the delay after each failed retry. */
        private Double multiplier;

        /** Longest delay. */
        private Duration max;

        /** Random spread of each delay, as a fraction within [0, 1]: 0.2 means up to 20 % either way. */
        private Double jitter;

        /** The backoff these values make, each one not set taken from {@code fallback}, then the library's default. */
        public Backoff over(BackoffSettings fallback) {
            BackoffSettings effective = or(fallback).withDefaults();
            return Backoff.exponential(effective.initial, effective.multiplier, effective.max, effective.jitter);
        }

        /** These values, each one not set being the library's default. */
        public BackoffSettings withDefaults() {
            return or(DEFAULTS);
        }

        /** These values, each one not set taken from {@code other}. */
        public BackoffSettings or(BackoffSettings other) {
            BackoffSettings merged = new BackoffSettings();
            merged.initial = first(initial, other.initial);
            merged.multiplier = first(multiplier, other.multiplier);
            merged.max = first(max, other.max);
            merged.jitter = first(jitter, other.jitter);
            return merged;
        }

        private static BackoffSettings defaults() {
            BackoffSettings defaults = new BackoffSettings();
            defaults.initial = ParallelConsumerBuilder.DEFAULT_BACKOFF_INITIAL;
            defaults.multiplier = ParallelConsumerBuilder.DEFAULT_BACKOFF_MULTIPLIER;
            defaults.max = ParallelConsumerBuilder.DEFAULT_BACKOFF_MAX;
            defaults.jitter = ParallelConsumerBuilder.DEFAULT_BACKOFF_JITTER;
            return defaults;
        }

        /** Whether no value is set. */
        public boolean isEmpty() {
            return initial == null && multiplier == null && max == null && jitter == null;
        }

        public Duration getInitial() {
            return initial;
        }

        public void setInitial(Duration initial) {
            this.initial = initial;
        }

        public Double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(Double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMax() {
            return max;
        }

        public void setMax(Duration max) {
            this.max = max;
        }

        public Double getJitter() {
            return jitter;
        }

        public void setJitter(Double jitter) {
            this.jitter = jitter;
        }
    }
}
