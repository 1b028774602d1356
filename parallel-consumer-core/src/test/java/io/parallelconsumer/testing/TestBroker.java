package io.parallelconsumer.testing;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One in-JVM KRaft broker (spring-kafka-test) shared by every test of the JVM, started on first use. Tests isolate
 * themselves with their own topics and groups ({@link #uniqueName}).
 */
public final class TestBroker {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static EmbeddedKafkaKraftBroker broker;
    private static Admin admin;

    private TestBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 1);
            Map<String, String> properties = new HashMap<>();
            properties.put("group.initial.rebalance.delay.ms", "0");
            // Quicker heartbeats for the consumer group protocol (KIP-848), so rebalance tests do not crawl.
            properties.put("group.consumer.min.heartbeat.interval.ms", "500");
            properties.put("group.consumer.heartbeat.interval.ms", "500");
            properties.put("group.consumer.min.session.timeout.ms", "3000");
            properties.put("group.consumer.session.timeout.ms", "6000");
            started.brokerProperties(properties);
            started.afterPropertiesSet();
            broker = started;
            Properties adminProps = new Properties();
            adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
            admin = Admin.create(adminProps);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                admin.close(Duration.ofSeconds(2));
                broker.destroy();
            }));
        }
        return broker.getBrokersAsString();
    }

    /** A name no other test of this JVM uses. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }

    /** Creates a topic with a unique name and returns the name. */
    public static String createTopic(String prefix, int partitions) {
        String topic = uniqueName(prefix);
        bootstrapServers();
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not create topic " + topic, ex);
        }
        // Producing before every partition has a leader makes the first batches fail and retry out of order.
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin
                .describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .allMatch(info -> info.leader() != null && info.leader().id() >= 0));
        return topic;
    }

    /** Consumer properties for a String/String consumer of the given group, reading from the earliest offset. */
    public static Map<String, Object> consumerProperties(String groupId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return props;
    }

    public static KafkaProducer<String, String> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props);
    }

    /**
     * Produces {@code count} records spread over {@code keys} keys (key {@code k<n>}, chosen at random with a fixed
     * seed), each value being {@code <key>:<sequence of this key>} starting at 0, and waits until all are acked.
     * @return the number of records per key
     */
    public static Map<String, Integer> produceSequenced(String topic, int count, int keys) {
        Map<String, Integer> perKey = new HashMap<>();
        java.util.Random random = new java.util.Random(topic.hashCode());
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < count; i++) {
                String key = "k" + random.nextInt(keys);
                int sequence = perKey.merge(key, 1, Integer::sum) - 1;
                producer.send(new ProducerRecord<>(topic, key, key + ":" + sequence));
            }
            producer.flush();
        }
        return perKey;
    }

    /** What the group has committed for these partitions, metadata included ({@code null} where nothing). */
    public static Map<TopicPartition, OffsetAndMetadata> committedPositions(String groupId,
            Collection<TopicPartition> partitions) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
            partitions.forEach(tp -> result.put(tp, committed.get(tp)));
            return result;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
            throw new IllegalStateException("Could not read committed offsets of " + groupId, ex);
        }
    }

    /** The offsets the group has committed for a topic's partitions; -1 where nothing. */
    public static Map<TopicPartition, Long> committedOffsets(String groupId, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> result = new HashMap<>();
        committedPositions(groupId, partitions)
                .forEach((tp, position) -> result.put(tp, position == null ? -1L : position.offset()));
        return result;
    }

    /** Sum of the committed offsets of a group over all partitions of a topic. */
    public static long committedTotal(String groupId, String topic, int partitions) {
        List<TopicPartition> tps = java.util.stream.IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        return committedOffsets(groupId, tps).values().stream().mapToLong(o -> Math.max(0, o)).sum();
    }
}
