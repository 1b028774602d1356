package io.parallelconsumer.benchmarks.drain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces the backlogs that the benchmark drains, each to a topic of its own. */
final class Backlog {

    private final Admin admin;
    private final DrainOptions options;
    private final String bootstrap;
    private int topics;

    Backlog(Admin admin, DrainOptions options, String bootstrap) {
        this.admin = admin;
        this.options = options;
        this.bootstrap = bootstrap;
    }

    /** Creates a fresh topic and fills it with {@code records} records of random keys and values. */
    String produce(long records) throws Exception {
        String topic = "drain-" + (++topics) + "-" + System.currentTimeMillis();
        admin.createTopics(List.of(new NewTopic(topic, options.partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        awaitLeaders(topic);
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // Idempotent batches of a freshly created topic were seen to fail with OUT_OF_ORDER_SEQUENCE_NUMBER on this
        // broker; one request in flight keeps the order without sequence numbers.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        Random random = new Random(1);
        String[] keys = new String[options.keys];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "key-" + i;
        }
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < records; i++) {
                byte[] value = new byte[options.valueBytes];
                random.nextBytes(value);
                producer.send(new ProducerRecord<>(topic, keys[random.nextInt(keys.length)], value),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records could not be produced to " + topic);
        }
        return topic;
    }

    /** Producing before every partition has a leader makes the first batches fail. */
    private void awaitLeaders(String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            boolean ready = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .stream().allMatch(info -> info.leader() != null && info.leader().id() >= 0);
            if (ready) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Partitions of " + topic + " have no leader after 30 s");
    }
}
