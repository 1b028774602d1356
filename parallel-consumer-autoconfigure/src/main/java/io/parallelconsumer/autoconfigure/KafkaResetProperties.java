package io.parallelconsumer.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.parallelconsumer.admin.ResetSettings;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Resetting Kafka topics and consumer groups to a fresh state: what {@code KafkaResetOperations} may touch, and
 * what to reset when the application starts. Off by default, because a reset deletes data.
 */
@ConfigurationProperties("parallel-consumer.admin.reset")
public class KafkaResetProperties implements Validator {

    private static final String P = "parallel-consumer.admin.reset.";

    /** Whether resets may run at all; without it every reset operation refuses, since it deletes data. */
    private boolean enabled;

    /**
     * Whether to reset the topics and groups listed here when the application starts, before any listener
     * starts; needs {@code enabled} as well.
     */
    private boolean onStartup;

    /**
     * A regular expression that every topic and group name must match in full to be reset, such as
     * {@code bench-.*}; empty allows every name.
     */
    private String allowedNames;

    /** Topics to delete and create afresh at startup. */
    private final List<Topic> topics = new ArrayList<>();

    /** Consumer groups to delete (with their committed offsets) at startup. */
    private final List<String> groups = new ArrayList<>();

    /** Attempts per topic or group before a reset gives up on it. */
    private int maxAttempts = 10;

    /** Wait before the second attempt; it doubles with each attempt up to {@code max-backoff}. */
    private Duration backoff = Duration.ofMillis(200);

    /** Longest wait between attempts. */
    private Duration maxBackoff = Duration.ofSeconds(5);

    /** How long one admin call, or one wait for a deletion or a leader election, may take. */
    private Duration operationTimeout = Duration.ofSeconds(30);

    @Override
    public boolean supports(Class<?> type) {
        return KafkaResetProperties.class.isAssignableFrom(type);
    }

    /** Checks every value as it binds, naming each bad property, so that a bad value stops the application. */
    @Override
    public void validate(Object target, Errors errors) {
        ((KafkaResetProperties) target).problems().forEach(problem -> errors.reject("invalid", problem));
    }

    /** Every wrong value, each naming its property and what it must be. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (onStartup && !enabled) {
            problems.add(P + "on-startup=true deletes topics and groups at every start; it also needs "
                    + P + "enabled=true");
        }
        if (allowedNames != null && !allowedNames.isBlank()) {
            try {
                Pattern.compile(allowedNames);
            }
            catch (PatternSyntaxException ex) {
                problems.add(P + "allowed-names is not a valid regular expression: " + ex.getDescription());
            }
        }
        for (int i = 0; i < topics.size(); i++) {
            Topic topic = topics.get(i);
            String t = P + "topics[" + i + "].";
            if (topic.name == null || topic.name.isBlank()) {
                problems.add(t + "name must be set");
            }
            if (topic.partitions != null && topic.partitions < 1) {
                problems.add(t + "partitions must be at least 1, but was " + topic.partitions);
            }
            if (topic.replicationFactor != null && topic.replicationFactor < 1) {
                problems.add(t + "replication-factor must be at least 1, but was " + topic.replicationFactor);
            }
        }
        if (maxAttempts < 1) {
            problems.add(P + "max-attempts must be at least 1, but was " + maxAttempts);
        }
        if (backoff == null || backoff.isNegative() || maxBackoff == null || maxBackoff.compareTo(backoff) < 0) {
            problems.add(P + "backoff (" + backoff + ") must be >= 0 and at most " + P + "max-backoff ("
                    + maxBackoff + ")");
        }
        if (operationTimeout == null || operationTimeout.isZero() || operationTimeout.isNegative()) {
            problems.add(P + "operation-timeout must be positive, but was " + operationTimeout);
        }
        return problems;
    }

    /** The settings of the reset operations. */
    public ResetSettings toSettings() {
        Pattern allowed = allowedNames == null || allowedNames.isBlank() ? null : Pattern.compile(allowedNames);
        return new ResetSettings(enabled, allowed, maxAttempts, backoff, maxBackoff, operationTimeout);
    }

    /** The topics listed here, as the admin client creates them. */
    public List<NewTopic> newTopics() {
        return topics.stream().map(Topic::toNewTopic).toList();
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isOnStartup() {
        return onStartup;
    }

    public void setOnStartup(boolean onStartup) {
        this.onStartup = onStartup;
    }

    public String getAllowedNames() {
        return allowedNames;
    }

    public void setAllowedNames(String allowedNames) {
        this.allowedNames = allowedNames;
    }

    public List<Topic> getTopics() {
        return topics;
    }

    public List<String> getGroups() {
        return groups;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getBackoff() {
        return backoff;
    }

    public void setBackoff(Duration backoff) {
        this.backoff = backoff;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public Duration getOperationTimeout() {
        return operationTimeout;
    }

    public void setOperationTimeout(Duration operationTimeout) {
        this.operationTimeout = operationTimeout;
    }

    /** One topic to create afresh. */
    public static class Topic {

        /** The topic name. */
        private String name;

        /** Number of partitions; the broker's default when not set. */
        private Integer partitions;

        /** Replication factor; the broker's default when not set. */
        private Short replicationFactor;

        /** Topic configs, such as {@code retention.ms} or {@code cleanup.policy}. */
        private final Map<String, String> configs = new LinkedHashMap<>();

        NewTopic toNewTopic() {
            NewTopic topic = new NewTopic(name, partitions == null ? Optional.empty()
                    : Optional.of(partitions), replicationFactor == null ? Optional.empty()
                    : Optional.of(replicationFactor));
            return topic.configs(configs);
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public Integer getPartitions() {
            return partitions;
        }

        public void setPartitions(Integer partitions) {
            this.partitions = partitions;
        }

        public Short getReplicationFactor() {
            return replicationFactor;
        }

        public void setReplicationFactor(Short replicationFactor) {
            this.replicationFactor = replicationFactor;
        }

        public Map<String, String> getConfigs() {
            return configs;
        }
    }
}
