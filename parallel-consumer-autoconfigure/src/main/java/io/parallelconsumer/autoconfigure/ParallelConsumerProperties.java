package io.parallelconsumer.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.spring.listener.ParallelListenerConfigurationException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of every {@code @ParallelListener}, under {@code parallel-consumer.*}, with per-listener overrides under
 * {@code parallel-consumer.listeners.<id>.*}. Precedence, highest first: the listener's own entry here, the
 * annotation, these defaults, the library's built-in defaults. Connection, security and deserializers come from
 * Spring Boot's {@code spring.kafka.*} properties.
 */
@ConfigurationProperties("parallel-consumer")
public class ParallelConsumerProperties {

    /** Which records may run side by side: KEY (one at a time per key and partition), PARTITION or UNORDERED. */
    private Ordering ordering = Ordering.KEY;

    /** Records processed at once by each listener. */
    private int concurrency = 16;

    /** Threads that run blocking listener methods: platform, virtual (Java 21+) or auto. */
    private Engine engine = Engine.PLATFORM;

    /** Records fetched but not completed before fetching pauses. Defaults to max(1000, 32 x concurrency). */
    private Integer maxInFlight;

    /** Fraction of max-in-flight at which paused fetching resumes, within (0, 1). */
    private double resumeRatio = 0.7;

    /** How often completed offsets are committed. */
    private Duration commitInterval = Duration.ofSeconds(1);

    /** Longest wait of one poll for records. */
    private Duration pollTimeout = Duration.ofMillis(100);

    /** Time a rebalance may spend finishing records already fetched from revoked partitions. */
    private Duration revokeTimeout = Duration.ofSeconds(5);

    /** Time a listener may spend finishing records already fetched when it stops. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /** Whether listeners start with the application context. */
    private boolean autoStartup = true;

    /**
     * Whether commits carry, in their metadata, the offsets above the committed one that are already done, so that
     * the next owner of a partition (after a restart or a rebalance) skips them; off if the application uses
     * commit metadata itself.
     */
    private boolean commitMetadata = true;

    /** Retries of failed records. */
    private final Retry retry = new Retry();

    /** Per-listener overrides, by listener id; an id that no listener has fails startup. */
    private final Map<String, Listener> listeners = new LinkedHashMap<>();

    /** The health contributor of each listener (needs Spring Boot's health support on the class path). */
    private final Health health = new Health();

    /**
     * Checks every value and fails naming each property that is wrong, so that a bad value stops the application at
     * startup rather than when a listener starts.
     * @throws ParallelListenerConfigurationException listing the problems
     */
    public void validate() {
        List<String> problems = new ArrayList<>();
        String p = "parallel-consumer.";
        atLeastOne(problems, p + "concurrency", concurrency);
        atLeastOne(problems, p + "max-in-flight", maxInFlight);
        ratio(problems, p + "resume-ratio", resumeRatio);
        positive(problems, p + "commit-interval", commitInterval);
        positive(problems, p + "poll-timeout", pollTimeout);
        positive(problems, p + "revoke-timeout", revokeTimeout);
        positive(problems, p + "shutdown-timeout", shutdownTimeout);
        atLeastOne(problems, p + "retry.max-attempts", retry.maxAttempts);
        Backoff backoff = retry.backoff;
        backoff(problems, p + "retry.backoff.", backoff);
        positive(problems, p + "health.blocked-threshold", health.blockedThreshold);
        positive(problems, p + "health.unreachable-threshold", health.unreachableThreshold);
        if (health.blockedStatus == null || health.blockedStatus.isBlank()) {
            problems.add(p + "health.blocked-status must name a health status, such as DOWN or OUT_OF_SERVICE");
        }
        listeners.forEach((id, listener) -> {
            String l = p + "listeners." + id + ".";
            atLeastOne(problems, l + "concurrency", listener.concurrency);
            atLeastOne(problems, l + "max-in-flight", listener.maxInFlight);
            if (listener.resumeRatio != null) {
                ratio(problems, l + "resume-ratio", listener.resumeRatio);
            }
            if (listener.commitInterval != null) {
                positive(problems, l + "commit-interval", listener.commitInterval);
            }
            if (listener.shutdownTimeout != null) {
                positive(problems, l + "shutdown-timeout", listener.shutdownTimeout);
            }
            atLeastOne(problems, l + "max-attempts", listener.maxAttempts);
            if (listener.pollTimeout != null) {
                positive(problems, l + "poll-timeout", listener.pollTimeout);
            }
            if (listener.revokeTimeout != null) {
                positive(problems, l + "revoke-timeout", listener.revokeTimeout);
            }
            backoff(problems, l + "backoff.", listener.backoff.over(backoff));
        });
        if (!problems.isEmpty()) {
            throw new ParallelListenerConfigurationException(
                    "Invalid parallel consumer properties:\n - " + String.join("\n - ", problems),
                    "Correct the properties named above in your application's configuration.");
        }
    }

    private static void atLeastOne(List<String> problems, String name, Integer value) {
        if (value != null && value < 1) {
            problems.add(name + " must be at least 1, but was " + value);
        }
    }

    private static void ratio(List<String> problems, String name, double value) {
        if (!(value > 0.0 && value < 1.0)) {
            problems.add(name + " must be within (0, 1), exclusive, but was " + value);
        }
    }

    private static void backoff(List<String> problems, String prefix, Backoff backoff) {
        positive(problems, prefix + "initial", backoff.initial);
        positive(problems, prefix + "max", backoff.max);
        if (backoff.initial != null && backoff.max != null && backoff.max.compareTo(backoff.initial) < 0) {
            problems.add(prefix + "max (" + backoff.max + ") must not be below " + prefix + "initial ("
                    + backoff.initial + ")");
        }
        if (!(backoff.multiplier >= 1.0)) {
            problems.add(prefix + "multiplier must be at least 1, but was " + backoff.multiplier);
        }
        if (!(backoff.jitter >= 0.0 && backoff.jitter <= 1.0)) {
            problems.add(prefix + "jitter must be within [0, 1], but was " + backoff.jitter);
        }
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(name + " must be a positive duration, but was " + value);
        }
    }

    public Ordering getOrdering() {
        return ordering;
    }

    public void setOrdering(Ordering ordering) {
        this.ordering = ordering;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public Engine getEngine() {
        return engine;
    }

    public void setEngine(Engine engine) {
        this.engine = engine;
    }

    public Integer getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(Integer maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public double getResumeRatio() {
        return resumeRatio;
    }

    public void setResumeRatio(double resumeRatio) {
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

    public boolean isAutoStartup() {
        return autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public Retry getRetry() {
        return retry;
    }

    public Map<String, Listener> getListeners() {
        return listeners;
    }

    /** Which threads run blocking listener methods. */
    public enum Engine {
        /** A bounded pool of platform threads. */
        PLATFORM,
        /** A virtual thread per ready record, bounded by the concurrency; needs Java 21 or later. */
        VIRTUAL,
        /** Virtual threads when the JVM has them, platform threads otherwise. */
        AUTO
    }

    public boolean isCommitMetadata() {
        return commitMetadata;
    }

    public void setCommitMetadata(boolean commitMetadata) {
        this.commitMetadata = commitMetadata;
    }

    public Health getHealth() {
        return health;
    }

    /** When a listener's health turns from UP to something else. */
    public static class Health {

        /**
         * How long one offset may hold back a partition's commits before the listener reports
         * {@code blocked-status}: a record stuck in its handler, or retried again and again, shows up here.
         */
        private Duration blockedThreshold = Duration.ofMinutes(5);

        /** The status reported while an offset has blocked longer than {@code blocked-threshold}. */
        private String blockedStatus = "DOWN";

        /**
         * How long the consumer may have no exchange with any broker (no connection, or no response on its
         * connections for more than 10 s) before the listener reports DOWN, counted from the last response.
         */
        private Duration unreachableThreshold = Duration.ofSeconds(30);

        public Duration getBlockedThreshold() {
            return blockedThreshold;
        }

        public void setBlockedThreshold(Duration blockedThreshold) {
            this.blockedThreshold = blockedThreshold;
        }

        public String getBlockedStatus() {
            return blockedStatus;
        }

        public void setBlockedStatus(String blockedStatus) {
            this.blockedStatus = blockedStatus;
        }

        public Duration getUnreachableThreshold() {
            return unreachableThreshold;
        }

        public void setUnreachableThreshold(Duration unreachableThreshold) {
            this.unreachableThreshold = unreachableThreshold;
        }
    }

    /** Retries of failed records. */
    public static class Retry {

        /** Attempts per record before it is given up on (1 means no retry). */
        private int maxAttempts = 3;

        /** Delay between attempts. */
        private final Backoff backoff = new Backoff();

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Backoff getBackoff() {
            return backoff;
        }
    }

    /** Exponential backoff with jitter; a multiplier of 1 gives a fixed delay. */
    public static class Backoff {

        /** Delay before the first retry. */
        private Duration initial = Duration.ofMillis(100);

        /** Factor applied to the delay after each failed retry. */
        private double multiplier = 2.0;

        /** Longest delay. */
        private Duration max = Duration.ofSeconds(10);

        /** Random spread of each delay, as a fraction within [0, 1]: 0.2 means up to 20 % either way. */
        private double jitter = 0.2;

        public Duration getInitial() {
            return initial;
        }

        public void setInitial(Duration initial) {
            this.initial = initial;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMax() {
            return max;
        }

        public void setMax(Duration max) {
            this.max = max;
        }

        public double getJitter() {
            return jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }
    }

    /** Overrides for one listener; what is not set here falls back to the annotation, then to the defaults. */
    public static class Listener {

        /** Ordering of this listener. */
        private Ordering ordering;

        /** Records processed at once by this listener. */
        private Integer concurrency;

        /** Engine of this listener. */
        private Engine engine;

        /** Max in-flight records of this listener. */
        private Integer maxInFlight;

        /** Resume ratio of this listener. */
        private Double resumeRatio;

        /** Commit interval of this listener. */
        private Duration commitInterval;

        /** Shutdown timeout of this listener. */
        private Duration shutdownTimeout;

        /** Poll timeout of this listener. */
        private Duration pollTimeout;

        /** Revoke timeout of this listener. */
        private Duration revokeTimeout;

        /** Retry backoff of this listener; each value not set here comes from {@code retry.backoff}. */
        private final ListenerBackoff backoff = new ListenerBackoff();

        /** Whether this listener's commits carry the done offsets above the committed one. */
        private Boolean commitMetadata;

        /** Attempts per record of this listener. */
        private Integer maxAttempts;

        /** Whether this listener starts with the application context. */
        private Boolean autoStartup;

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

        public Engine getEngine() {
            return engine;
        }

        public void setEngine(Engine engine) {
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

        public ListenerBackoff getBackoff() {
            return backoff;
        }

        public Boolean getCommitMetadata() {
            return commitMetadata;
        }

        public void setCommitMetadata(Boolean commitMetadata) {
            this.commitMetadata = commitMetadata;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Boolean getAutoStartup() {
            return autoStartup;
        }

        public void setAutoStartup(Boolean autoStartup) {
            this.autoStartup = autoStartup;
        }
    }

    /** A listener's own retry backoff; what is not set comes from {@code parallel-consumer.retry.backoff}. */
    public static class ListenerBackoff {

        /** Delay before the first retry. */
        private Duration initial;

        /** Growth of the delay per retry. */
        private Double multiplier;

        /** Longest delay. */
        private Duration max;

        /** Random spread of each delay, as a fraction. */
        private Double jitter;

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

        /** This listener's backoff: its own values where set, the global ones otherwise. */
        public Backoff over(Backoff global) {
            Backoff merged = new Backoff();
            merged.setInitial(initial != null ? initial : global.getInitial());
            merged.setMultiplier(multiplier != null ? multiplier : global.getMultiplier());
            merged.setMax(max != null ? max : global.getMax());
            merged.setJitter(jitter != null ? jitter : global.getJitter());
            return merged;
        }
    }
}
