package io.parallelconsumer.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings Kafka topics and consumer groups back to a fresh state: deletes groups (and so their committed offsets),
 * deletes topics and waits until the deletion is really done (it is asynchronous in Kafka), and creates topics
 * again with the given partitions, replication factor and configs, waiting until every partition has a leader.
 * <p>
 * A topic or group that does not exist counts as deleted. Transient errors - timeouts, retriable Kafka errors, a
 * group that still has members while they leave, a topic still being deleted - are retried with a doubling
 * backoff; after the last attempt, or at once for an error that retrying cannot fix (authorization, an invalid
 * replication factor...), a {@link KafkaResetException} names the topic or group. Each topic and group is handled
 * on its own, so the exception names exactly the one that failed.
 * <p>
 * Nothing runs unless the settings say {@code enabled}, and only names matching the allow-list are touched: every
 * name is checked before anything is deleted. Each call opens its own admin client and closes it.
 */
public class KafkaResetOperations {

    private static final Logger log = LoggerFactory.getLogger(KafkaResetOperations.class);
    private static final long WAIT_POLL_MILLIS = 100;

    private final Map<String, Object> adminConfig;
    private final ResetSettings settings;

    /**
     * @param adminConfig admin client properties: bootstrap servers, security
     */
    public KafkaResetOperations(Map<String, Object> adminConfig, ResetSettings settings) {
        this.adminConfig = Map.copyOf(adminConfig);
        this.settings = settings;
    }

    public ResetSettings settings() {
        return settings;
    }

    /** Deletes the consumer groups, and with them their committed offsets. */
    public void deleteGroups(Collection<String> groups) {
        checkAllowed(List.of(), groups);
        withAdmin(admin -> groups.forEach(group -> deleteGroup(admin, group)));
    }

    /** Deletes the topics and waits until they are gone. */
    public void deleteTopics(Collection<String> topics) {
        checkAllowed(topics, List.of());
        withAdmin(admin -> topics.forEach(topic -> deleteTopic(admin, topic)));
    }

    /** Creates the topics, which must not exist, and waits until every partition has a leader. */
    public void createTopics(Collection<NewTopic> topics) {
        checkAllowed(names(topics), List.of());
        withAdmin(admin -> topics.forEach(topic -> createTopic(admin, topic)));
    }

    /** Deletes the topics (those that exist), then creates them afresh: empty, with the given settings. */
    public void recreateTopics(Collection<NewTopic> topics) {
        reset(topics, List.of());
    }

    /**
     * The whole reset: deletes the groups first (so that no member commits into a topic being recreated), then
     * deletes and recreates the topics. Every name is checked against the allow-list before anything happens.
     */
    public void reset(Collection<NewTopic> topics, Collection<String> groups) {
        checkAllowed(names(topics), groups);
        withAdmin(admin -> {
            groups.forEach(group -> deleteGroup(admin, group));
            topics.forEach(topic -> deleteTopic(admin, topic.name()));
            topics.forEach(topic -> createTopic(admin, topic));
        });
        log.info("Kafka reset done: topics {} recreated, groups {} deleted", names(topics), groups);
    }

    private void deleteGroup(Admin admin, String group) {
        withRetries("group '" + group + "'", () -> {
            log.info("Deleting consumer group '{}'", group);
            try {
                await(admin.deleteConsumerGroups(List.of(group)).deletedGroups().get(group));
                log.info("Deleted consumer group '{}' and its committed offsets", group);
            }
            catch (GroupIdNotFoundException ex) {
                log.info("Consumer group '{}' did not exist; nothing to delete", group);
            }
        });
    }

    private void deleteTopic(Admin admin, String topic) {
        withRetries("topic '" + topic + "'", () -> {
            log.info("Deleting topic '{}'", topic);
            try {
                await(admin.deleteTopics(List.of(topic)).topicNameValues().get(topic));
            }
            catch (UnknownTopicOrPartitionException ex) {
                log.info("Topic '{}' did not exist; nothing to delete", topic);
                return;
            }
            // Deletion is asynchronous: the topic stays listed for a while after the call returns.
            waitUntil(() -> !await(admin.listTopics().names()).contains(topic),
                    "topic '" + topic + "' still listed after its deletion");
            log.info("Deleted topic '{}'", topic);
        });
    }

    private void createTopic(Admin admin, NewTopic topic) {
        withRetries("topic '" + topic.name() + "'", () -> {
            log.info("Creating topic '{}' with {} partitions, replication factor {}, configs {}", topic.name(),
                    topic.numPartitions() < 0 ? "the broker's default" : topic.numPartitions(),
                    topic.replicationFactor() < 0 ? "the broker's default" : topic.replicationFactor(),
                    topic.configs() == null ? Map.of() : topic.configs());
            await(admin.createTopics(List.of(topic)).all());
            waitUntil(() -> hasLeaders(admin, topic.name()),
                    "topic '" + topic.name() + "' has partitions without a leader");
            log.info("Created topic '{}'; every partition has a leader", topic.name());
        });
    }

    private boolean hasLeaders(Admin admin, String topic) throws Exception {
        try {
            TopicDescription description = await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
            return description != null && description.partitions().stream()
                    .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
        }
        catch (UnknownTopicOrPartitionException ex) {
            return false; // created, but metadata has not caught up yet
        }
    }

    /** Runs {@code attempt} until it succeeds, retrying what may pass; says which subject failed at the end. */
    private void withRetries(String subject, Attempt attempt) {
        for (int number = 1; ; number++) {
            try {
                attempt.run();
                return;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new KafkaResetException(subject, "Interrupted while resetting " + subject, ex);
            }
            catch (Exception ex) {
                Throwable cause = unwrap(ex);
                if (!isTransient(cause)) {
                    throw new KafkaResetException(subject, "Could not reset " + subject + ": " + cause, cause);
                }
                if (number >= settings.maxAttempts()) {
                    throw new KafkaResetException(subject, "Could not reset " + subject + " after " + number
                            + " attempt(s); last error: " + cause, cause);
                }
                Duration backoff = settings.backoff(number);
                onRetry(subject, number, backoff, cause);
                sleep(subject, backoff);
            }
        }
    }

    /** Called before each retry; logs it. */
    protected void onRetry(String subject, int failedAttempt, Duration backoff, Throwable cause) {
        log.warn("Resetting {}: attempt {} of {} failed ({}); retrying in {}", subject, failedAttempt,
                settings.maxAttempts(), cause.toString(), backoff);
    }

    private static void sleep(String subject, Duration backoff) {
        try {
            TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new KafkaResetException(subject, "Interrupted while resetting " + subject, ex);
        }
    }

    private static boolean isTransient(Throwable cause) {
        if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
                || cause instanceof InvalidTopicException || cause instanceof InvalidReplicationFactorException
                || cause instanceof InvalidPartitionsException || cause instanceof InvalidConfigurationException
                || cause instanceof PolicyViolationException || cause instanceof UnsupportedVersionException
                || cause instanceof InvalidRequestException) {
            return false;
        }
        // GroupNotEmptyException (members still leaving), TopicExistsException (still being deleted), timeouts
        // and retriable errors are all KafkaExceptions worth another try.
        return cause instanceof KafkaException || cause instanceof TimeoutException;
    }

    private static Throwable unwrap(Throwable ex) {
        Throwable current = ex;
        while ((current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private <T> T await(KafkaFuture<T> future) throws Exception {
        try {
            return future.get(settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            Throwable cause = unwrap(ex);
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw ex;
        }
    }

    private void waitUntil(Condition condition, String stillFalse) throws Exception {
        long deadline = System.nanoTime() + settings.operationTimeout().toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException(stillFalse + " (waited " + settings.operationTimeout() + ")");
            }
            TimeUnit.MILLISECONDS.sleep(WAIT_POLL_MILLIS);
        }
    }

    private void checkAllowed(Collection<String> topics, Collection<String> groups) {
        if (!settings.enabled()) {
            throw new IllegalStateException("Kafka reset is disabled: it deletes topics and consumer groups with "
                    + "their data. Set parallel-consumer.admin.reset.enabled=true (or ResetSettings.enabled) to "
                    + "allow it; refused to touch topics " + topics + " and groups " + groups);
        }
        List<String> refused = new ArrayList<>();
        if (settings.allowedNames() != null) {
            topics.stream().filter(name -> !settings.allowedNames().matcher(name).matches())
                    .forEach(name -> refused.add("topic '" + name + "'"));
            groups.stream().filter(name -> !settings.allowedNames().matcher(name).matches())
                    .forEach(name -> refused.add("group '" + name + "'"));
        }
        if (!refused.isEmpty()) {
            throw new IllegalStateException("Kafka reset refused: " + String.join(", ", refused)
                    + " not matched by parallel-consumer.admin.reset.allowed-names (" + settings.allowedNames()
                    + "); nothing was deleted");
        }
    }

    private void withAdmin(AdminWork work) {
        Admin admin = Admin.create(new HashMap<>(adminConfig));
        try {
            work.run(admin);
        }
        finally {
            admin.close(settings.operationTimeout());
        }
    }

    private static List<String> names(Collection<NewTopic> topics) {
        return topics.stream().map(NewTopic::name).toList();
    }

    @FunctionalInterface
    private interface Attempt {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    @FunctionalInterface
    private interface AdminWork {
        void run(Admin admin);
    }
}
