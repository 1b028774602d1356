package io.parallelconsumer.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.ParallelConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Runs in a JVM of its own with one kafka-clients version on the class path (see KafkaClientCompatibilityIT):
 * consumes a topic of one partition to its end with the core, closes, and prints what was processed and committed.
 * Exit 0 when all was processed and committed, 2 when not, 3 when {@code build()} refused the client.
 * Arguments: bootstrap servers, topic, group, record count.
 */
public final class CompatibilityMain {

    private CompatibilityMain() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        String group = args[2];
        int count = Integer.parseInt(args[3]);
        Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        System.out.println("kafka-clients=" + KafkaClientVersion.version());
        AtomicInteger processed = new AtomicInteger();
        ParallelConsumer<String, String> consumer;
        try {
            consumer = ParallelConsumer.<String, String>builder().consumerProperties(properties).topics(List.of(topic))
                    .ordering(Ordering.KEY).concurrency(8).handler(record -> processed.incrementAndGet()).build();
        }
        catch (IllegalArgumentException ex) {
            System.out.println("BUILD-FAILED: " + ex.getMessage());
            System.exit(3);
            return;
        }
        consumer.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (processed.get() < count && System.nanoTime() - deadline < 0) {
            Thread.sleep(20); // a plain main without Awaitility; the test bounds the whole process anyway
        }
        consumer.close(Duration.ofSeconds(10));
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(properties)) {
            Map<TopicPartition, OffsetAndMetadata> committed = reader.committed(Set.of(tp), Duration.ofSeconds(10));
            long offset = committed.get(tp) == null ? -1 : committed.get(tp).offset();
            System.out.println("state=" + consumer.state() + " processed=" + processed.get() + " committed=" + offset);
            System.exit(processed.get() == count && offset == count ? 0 : 2);
        }
    }
}
