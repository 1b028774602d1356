package io.parallelconsumer.test.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What a test does with a broker: topics with unique names (created until every partition has a leader), groups
 * with unique ids, producers and consumers with settings that keep tests deterministic, and cleanup. Closing it
 * deletes the topics it created and closes the clients it handed out, so that tests leave nothing behind.
 * Not thread-safe for creating and closing at once; the clients it hands out are Kafka's own.
 */
public final class KafkaFixtures implements AutoCloseable {

    private static final AtomicInteger NAMES = new AtomicInteger();

    /** How long creating, deleting and reading topics and offsets may take before the test fails. */
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final Admin admin;
    private final Set<String> createdTopics = new LinkedHashSet<>();
    private final Deque<AutoCloseable> clients = new ArrayDeque<>();
    private String groupPrefix = "test";

    public KafkaFixtures(KafkaBroker broker) {
        this(broker.bootstrapServers());
    }

    public KafkaFixtures(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The admin client of these fixtures (closed with them), for what the helpers here do not cover. */
    public Admin admin() {
        return admin;
    }

    /** A name no other test of this JVM, nor of an earlier run against the same cluster, is likely to have used. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-" + Integer.toString(ThreadLocalRandom.current()
                .nextInt(Integer.MAX_VALUE), 36);
    }

    /** What the group ids of {@link #groupId()} start with; {@code test} unless set. */
    public KafkaFixtures groupPrefix(String prefix) {
        this.groupPrefix = prefix;
        return this;
    }

    /** A unique group id: the {@linkplain #groupPrefix group prefix} and a unique suffix. */
    public String groupId() {
        return uniqueName(groupPrefix);
    }

    /** Creates a topic of {@code partitions} partitions, replication 1, with a unique name; returns the name. */
    public String createTopic(String prefix, int partitions) {
        return createTopic(TopicSpec.named(prefix).partitions(partitions));
    }

    /**
     * Creates the topic and waits until every partition has a leader that serves it (producing before that makes the
     * first batches fail and retry, out of order); deleted when these fixtures close.
     *
     * @return its unique name
     */
    public String createTopic(TopicSpec spec) {
        return create(uniqueName(spec.prefix()), spec);
    }

    /**
     * Creates a topic of exactly this name, as {@link #createTopic(TopicSpec)} does, for a name that follows from
     * another topic's (a dead-letter topic {@code <topic>-dlt}, say); deleted when these fixtures close.
     */
    public String createTopicNamed(String name, int partitions) {
        return create(name, TopicSpec.named(name).partitions(partitions));
    }

    private String create(String topic, TopicSpec spec) {
        NewTopic newTopic = new NewTopic(topic, spec.partitions(), spec.replication()).configs(spec.configs());
        get(admin.createTopics(List.of(newTopic)).all(), "create topic " + topic);
        createdTopics.add(topic);
        awaitLeaders(topic);
        return topic;
    }

    /**
     * Until the metadata names a leader for every partition and each leader answers for its partition: the metadata
     * can name a leader a moment before the leader serves the partition, and a producer that sends then gets
     * {@code NOT_LEADER_OR_FOLLOWER} and retries its first batches.
     */
    private void awaitLeaders(String topic) {
        AtomicReference<String> missing = new AtomicReference<>("no answer");
        try {
            Awaitility.await("serving leaders of " + topic).atMost(ADMIN_TIMEOUT).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).until(() -> leadersServe(topic, missing));
        }
        catch (ConditionTimeoutException ex) {
            throw new IllegalStateException("Topic " + topic + " has no serving leader on every partition after "
                    + ADMIN_TIMEOUT + " (" + missing.get() + ")", ex);
        }
    }

    private boolean leadersServe(String topic, AtomicReference<String> missing) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            List<Integer> leaderless = description.partitions().stream()
                    .filter(p -> p.leader() == null || p.leader().id() < 0).map(p -> p.partition()).toList();
            if (!leaderless.isEmpty()) {
                missing.set("partitions without a leader: " + leaderless);
                return false;
            }
            Map<TopicPartition, OffsetSpec> latest = description.partitions().stream().collect(
                    Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }
        catch (ExecutionException | TimeoutException ex) {
            missing.set(ex.toString()); // metadata not propagated, or a leader not serving yet: ask again
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the leaders of " + topic, ex);
        }
    }

    /** Deletes topics; those that do not exist are ignored. */
    public void deleteTopics(Collection<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try {
            admin.deleteTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw new IllegalStateException("Could not delete topics " + topics, ex.getCause());
            }
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException("Deleting topics " + topics + " took longer than " + ADMIN_TIMEOUT, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while deleting topics " + topics, ex);
        }
        createdTopics.removeAll(topics);
    }

    /** The topics of the cluster, internal ones left out. */
    public Set<String> listTopics() {
        return get(admin.listTopics().names(), "list topics");
    }

    /**
     * Producer settings that keep a test's records where and in the order it sent them: {@code acks=all}, retries,
     * one request in flight; String keys and values. Change or add what a test needs.
     */
    public Map<String, Object> producerProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return props;
    }

    /** A String producer with {@link #producerProperties()}, closed with these fixtures. */
    public KafkaProducer<String, String> producer() {
        return track(new KafkaProducer<>(producerProperties()));
    }

    /** A producer with {@link #producerProperties()} changed by {@code overrides}, closed with these fixtures. */
    public <K, V> KafkaProducer<K, V> producer(Map<String, Object> overrides, Serializer<K> keys,
            Serializer<V> values) {
        Map<String, Object> props = producerProperties();
        props.putAll(overrides);
        return track(new KafkaProducer<>(props, keys, values));
    }

    /**
     * Consumer settings of a new unique group: reading from the earliest offset, String keys and values.
     *
     * @param autoCommit whether the consumer commits on its own ({@code enable.auto.commit})
     */
    public Map<String, Object> consumerProperties(boolean autoCommit) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, autoCommit);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return props;
    }

    /** A String consumer of a new unique group, without auto-commit; closed with these fixtures. */
    public KafkaConsumer<String, String> consumer() {
        return track(new KafkaConsumer<>(consumerProperties(false)));
    }

    /** A consumer with {@link #consumerProperties} changed by {@code overrides}, closed with these fixtures. */
    public <K, V> KafkaConsumer<K, V> consumer(Map<String, Object> overrides, Deserializer<K> keys,
            Deserializer<V> values) {
        Map<String, Object> props = consumerProperties(false);
        props.putAll(overrides);
        return track(new KafkaConsumer<>(props, keys, values));
    }

    /**
     * The records of {@code topic} as bytes, read from its start by a consumer of a new group until at least
     * {@code count} have come (60 s at most), plus any that follow within half a second, so that a test can check
     * there are no more than it expected.
     */
    public List<ConsumerRecord<byte[], byte[]>> readRecords(String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        Awaitility.await("at least " + count + " records in " + topic).atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= count;
        });
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        return records;
    }

    /** The log-end offset of every partition of {@code topic}. */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        TopicDescription description = get(admin.describeTopics(List.of(topic)).allTopicNames(),
                "describe " + topic).get(topic);
        Map<TopicPartition, OffsetSpec> latest = description.partitions().stream().collect(Collectors.toMap(
                p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return get(admin.listOffsets(latest).all(), "read the end offsets of " + topic).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** The committed offset of every partition {@code groupId} has committed; partitions it has not are missing. */
    public Map<TopicPartition, Long> committedOffsets(String groupId) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        committedPositions(groupId).forEach((tp, position) -> offsets.put(tp, position.offset()));
        return offsets;
    }

    /** What the group has committed, with the commit metadata, per partition that has a commit. */
    public Map<TopicPartition, OffsetAndMetadata> committedPositions(String groupId) {
        Map<TopicPartition, OffsetAndMetadata> committed = get(
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
                "read the offsets of group " + groupId);
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        committed.forEach((tp, position) -> {
            if (position != null) {
                positions.put(tp, position);
            }
        });
        return positions;
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.push(client);
        return client;
    }

    /** Closes the clients handed out, deletes the topics created, and closes the admin client. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!clients.isEmpty()) {
            try {
                clients.pop().close();
            }
            catch (Exception ex) {
                failure = add(failure, ex);
            }
        }
        try {
            deleteTopics(List.copyOf(createdTopics));
        }
        catch (RuntimeException ex) {
            failure = add(failure, ex);
        }
        admin.close(Duration.ofSeconds(5));
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException add(RuntimeException failure, Exception ex) {
        if (failure == null) {
            return new IllegalStateException("Cleaning up the Kafka fixtures failed", ex);
        }
        failure.addSuppressed(ex);
        return failure;
    }

    private static <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            throw new IllegalStateException("Could not " + what + ": " + ex.getCause(), ex.getCause());
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException("Could not " + what + " within " + ADMIN_TIMEOUT, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + what, ex);
        }
    }
}
