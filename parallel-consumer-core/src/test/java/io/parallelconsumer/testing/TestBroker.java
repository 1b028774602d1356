package io.parallelconsumer.testing;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import io.parallelconsumer.test.kafka.KafkaBrokers;
import io.parallelconsumer.test.kafka.KafkaFixtures;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test run's broker ({@link KafkaBrokers#shared()}: the in-JVM KRaft broker unless an external cluster or a
 * container is asked for), with the helpers this project's broker tests share. Tests isolate themselves with their
 * own topics and groups ({@link #uniqueName}).
 */
public final class TestBroker {

    private static KafkaFixtures fixtures;

    private TestBroker() {
    }

    public static String bootstrapServers() {
        return fixtures().bootstrapServers();
    }

    /** Fixtures on the shared broker for the whole run: what they create stays until the broker stops. */
    private static synchronized KafkaFixtures fixtures() {
        if (fixtures == null) {
            fixtures = new KafkaFixtures(KafkaBrokers.shared());
        }
        return fixtures;
    }

    /** A name no other test of this JVM uses. */
    public static String uniqueName(String prefix) {
        return KafkaFixtures.uniqueName(prefix);
    }

    /** Creates a topic with a unique name, every partition with a leader, and returns the name. */
    public static String createTopic(String prefix, int partitions) {
        return fixtures().createTopic(prefix, partitions);
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
        Random random = new Random(topic.hashCode());
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
        Map<TopicPartition, OffsetAndMetadata> committed = fixtures().committedPositions(groupId);
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        partitions.forEach(tp -> result.put(tp, committed.get(tp)));
        return result;
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
        List<TopicPartition> tps = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        return committedOffsets(groupId, tps).values().stream().mapToLong(o -> Math.max(0, o)).sum();
    }
}
