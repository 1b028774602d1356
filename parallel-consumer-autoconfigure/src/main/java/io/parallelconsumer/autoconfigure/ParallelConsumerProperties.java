package io.parallelconsumer.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.parallelconsumer.ParallelConsumerBuilder;
import io.parallelconsumer.spring.listener.ListenerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Settings of every {@code @ParallelListener}, under {@code parallel-consumer.*}, with per-listener overrides under
 * the same keys in {@code parallel-consumer.listeners.<id>.*}. Precedence, highest first: the listener's own entry,
 * the annotation, these settings, the library's defaults (which are {@link ParallelConsumerBuilder}'s). Connection,
 * security and deserializers come from Spring Boot's {@code spring.kafka.*} properties. Checked as it binds: every
 * wrong value is named at once, and the application does not start.
 */
@ConfigurationProperties(ParallelConsumerProperties.PREFIX)
public class ParallelConsumerProperties extends ListenerSettings implements Validator {

    static final String PREFIX = "parallel-consumer";

    private static final Logger log = LoggerFactory.getLogger(ParallelConsumerProperties.class);

    /** Per-listener settings, by listener id, under the same keys; an id that no listener has fails startup. */
    private final Map<String, Listener> listeners = new LinkedHashMap<>();

    /** The health contributor of each listener (needs Spring Boot's health support on the class path). */
    private final Health health = new Health();

    public Map<String, Listener> getListeners() {
        return listeners;
    }

    public Health getHealth() {
        return health;
    }

    @Override
    public boolean supports(Class<?> type) {
        return ParallelConsumerProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        ((ParallelConsumerProperties) target).problems().forEach(problem -> errors.reject("invalid", problem));
    }

    /** Every wrong value, each naming its property and what it must be. */
    List<String> problems() {
        SettingsCheck check = new SettingsCheck();
        String p = PREFIX + ".";
        check.settings(p, this, getRetry().getBackoff(), new BackoffSettings(), "retry.backoff.");
        check.positive(p + "health.blocked-threshold", health.blockedThreshold);
        check.positive(p + "health.unreachable-threshold", health.unreachableThreshold);
        if (health.blockedStatus == null || health.blockedStatus.isBlank()) {
            check.problem(p + "health.blocked-status must name a health status, such as DOWN or OUT_OF_SERVICE");
        }
        listeners.forEach((id, listener) -> {
            String l = p + "listeners." + id + ".";
            listener.warnOfDeprecatedKeys(l);
            check.settings(l, listener, listener.backoffSettings(), getRetry().getBackoff(), listener.backoffKeys());
            if (listener.maxAttempts != null && listener.getRetry().getMaxAttempts() == null) {
                check.atLeastOne(l + "max-attempts", listener.maxAttempts);
            }
        });
        return check.problems();
    }

    /**
     * One listener's settings. The flat keys of earlier versions ({@code max-attempts}, {@code backoff.*}) still
     * bind, deprecated: the keys are now the same as the global ones ({@code retry.max-attempts},
     * {@code retry.backoff.*}), which win where both are set.
     */
    public static class Listener extends ListenerSettings {

        private Integer maxAttempts;

        private final BackoffSettings backoff = new BackoffSettings();

        /** @deprecated use {@code retry.max-attempts} */
        @Deprecated
        @DeprecatedConfigurationProperty(replacement = "parallel-consumer.listeners.<id>.retry.max-attempts")
        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        /** @deprecated use {@code retry.max-attempts} */
        @Deprecated
        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @deprecated use {@code retry.backoff} */
        @Deprecated
        @DeprecatedConfigurationProperty(replacement = "parallel-consumer.listeners.<id>.retry.backoff")
        public BackoffSettings getBackoff() {
            return backoff;
        }

        @Override
        protected Integer maxAttempts() {
            return first(getRetry().getMaxAttempts(), maxAttempts);
        }

        @Override
        protected BackoffSettings backoffSettings() {
            return getRetry().getBackoff().or(backoff);
        }

        /** The prefix of the backoff keys this listener used, for messages that name them. */
        String backoffKeys() {
            return backoff.isEmpty() || !getRetry().getBackoff().isEmpty() ? "retry.backoff." : "backoff.";
        }

        private void warnOfDeprecatedKeys(String prefix) {
            if (maxAttempts != null) {
                log.warn("{}max-attempts is deprecated: use {}retry.max-attempts", prefix, prefix);
            }
            if (!backoff.isEmpty()) {
                log.warn("{}backoff.* is deprecated: use {}retry.backoff.*", prefix, prefix);
            }
        }
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

    /** Collects what is wrong with settings, each problem naming its property. */
    private static final class SettingsCheck {

        private final List<String> problems = new ArrayList<>();

        /**
         * Checks the values set at one level; the backoff as it comes out over the level below, its problems named
         * under {@code backoffKeys}.
         */
        void settings(String prefix, ListenerSettings settings, BackoffSettings backoff, BackoffSettings fallback,
                String backoffKeys) {
            atLeastOne(prefix + "concurrency", settings.getConcurrency());
            atLeastOne(prefix + "max-in-flight", settings.getMaxInFlight());
            if (settings.getResumeRatio() != null && !(settings.getResumeRatio() > 0.0 && settings.getResumeRatio() < 1.0)) {
                problem(prefix + "resume-ratio must be within (0, 1), exclusive, but was " + settings.getResumeRatio());
            }
            positiveIfSet(prefix + "commit-interval", settings.getCommitInterval());
            positiveIfSet(prefix + "poll-timeout", settings.getPollTimeout());
            positiveIfSet(prefix + "revoke-timeout", settings.getRevokeTimeout());
            positiveIfSet(prefix + "shutdown-timeout", settings.getShutdownTimeout());
            atLeastOne(prefix + "retry.max-attempts", settings.getRetry().getMaxAttempts());
            throwables(prefix + "retry.not-retryable", settings.getRetry().getNotRetryable());
            backoff(prefix + backoffKeys, backoff.or(fallback));
        }

        /** The binder makes any class of a name; only exceptions can match a failure. */
        private void throwables(String name, List<Class<? extends Throwable>> types) {
            if (types == null) {
                return;
            }
            for (Class<?> type : types) {
                if (type == null || !Throwable.class.isAssignableFrom(type)) {
                    problem(name + " lists " + (type == null ? "an empty entry" : type.getName()) + ", which is not an "
                            + "exception type; name Throwable subclasses such as java.lang.IllegalArgumentException");
                }
            }
        }

        private void backoff(String prefix, BackoffSettings backoff) {
            BackoffSettings effective = backoff.withDefaults();
            Duration initial = effective.getInitial();
            Duration max = effective.getMax();
            double multiplier = effective.getMultiplier();
            double jitter = effective.getJitter();
            positive(prefix + "initial", initial);
            positive(prefix + "max", max);
            if (max.compareTo(initial) < 0) {
                problem(prefix + "max (" + max + ") must not be below " + prefix + "initial (" + initial + ")");
            }
            if (!(multiplier >= 1.0)) {
                problem(prefix + "multiplier must be at least 1, but was " + multiplier);
            }
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                problem(prefix + "jitter must be within [0, 1], but was " + jitter);
            }
        }

        void atLeastOne(String name, Integer value) {
            if (value != null && value < 1) {
                problem(name + " must be at least 1, but was " + value);
            }
        }

        private void positiveIfSet(String name, Duration value) {
            if (value != null) {
                positive(name, value);
            }
        }

        void positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                problem(name + " must be a positive duration, but was " + value);
            }
        }

        void problem(String problem) {
            problems.add(problem);
        }

        List<String> problems() {
            return problems;
        }
    }
}
