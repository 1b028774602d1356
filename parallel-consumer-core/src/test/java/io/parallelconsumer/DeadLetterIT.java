package io.parallelconsumer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.deadletter.DeadLetterHeaders;
import io.parallelconsumer.deadletter.DeadLetterPublisher;
import io.parallelconsumer.testing.ConsumerRuns;
import io.parallelconsumer.test.kafka.KafkaFixtures;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead letters against a real broker: a key's failures land in order, with the bytes as fetched and the headers
 * Spring Kafka's tooling reads, before the key's later records run; an undeserializable record lands with its raw
 * bytes; a dead-letter broker that cannot be reached stops the consumer with the record uncommitted, and a later run
 * dead-letters it.
 */
class DeadLetterIT {

    private static final int KEYS = 10;
    private static final int PER_KEY = 30;

    /** The dead-letter topics, producers and readers of a test, closed and deleted after it. */
    private final KafkaFixtures kafka = new KafkaFixtures(TestBroker.bootstrapServers());

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aKeysFailuresLandInOrderWithTheirBytesAndHeadersBeforeTheKeysLaterRecordsRun() {
        String topic = TestBroker.createTopic("dlt-order", 3);
        kafka.createTopicNamed(topic + "-dlt", 3);
        Map<String, Long> offsets = produce(topic, KEYS * PER_KEY);
        String group = TestBroker.uniqueName("g");
        Queue<String> events = new ConcurrentLinkedQueue<>();
        DeadLetterPublisher<String, String> publisher = DeadLetterPublisher.<String, String>to(producer())
                .groupId(group).build();
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(group))
                .valueDeserializer(new Uppercase()) // lossy: only the fetched bytes give the value back
                .topics(topic).ordering(Ordering.KEY).concurrency(8)
                .maxAttempts(2).backoff(Backoff.none())
                .notRetryable(IllegalArgumentException.class)
                .handler(record -> {
                    String value = record.value().toLowerCase();
                    events.add("start " + value);
                    int sequence = sequence(value);
                    if (sequence % 7 == 3) {
                        throw new IllegalStateException("cannot take " + value);
                    }
                    if (sequence % 11 == 5) {
                        throw new IllegalArgumentException("never valid: " + value);
                    }
                })
                .failurePolicy(recording(publisher, events))
                .build();
        int failing = KEYS * (int) java.util.stream.IntStream.range(0, PER_KEY)
                .filter(s -> s % 7 == 3 || s % 11 == 5).count();

        ConsumerRuns.runUntil(consumer, () -> consumer.snapshot().counters().succeeded()
                + consumer.snapshot().counters().deadLettered() >= KEYS * PER_KEY);

        assertThat(consumer.snapshot().counters().deadLettered()).isEqualTo(failing);
        assertThat(consumer.snapshot().counters().skipped()).isZero();
        assertThat(publisher.published()).isEqualTo(failing);
        List<ConsumerRecord<byte[], byte[]>> letters = readAll(topic + "-dlt", failing);
        Map<String, List<Integer>> byKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            String key = new String(letter.key(), StandardCharsets.UTF_8);
            String value = new String(letter.value(), StandardCharsets.UTF_8);
            assertThat(value).as("the value as fetched, not as deserialized").isEqualTo(value.toLowerCase());
            long offset = offsets.get(value);
            assertThat(string(letter.headers(), DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(topic);
            assertThat(integer(letter.headers(), DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo(letter.partition());
            assertThat(longValue(letter.headers(), DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo(offset);
            assertThat(longValue(letter.headers(), DeadLetterHeaders.ORIGINAL_TIMESTAMP)).isPositive();
            assertThat(string(letter.headers(), DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE)).isEqualTo("CreateTime");
            assertThat(string(letter.headers(), DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP)).isEqualTo(group);
            assertThat(string(letter.headers(), "origin")).as("the record's own header").isEqualTo(value);
            boolean notRetryable = sequence(value) % 7 != 3;
            assertThat(string(letter.headers(), DeadLetterHeaders.EXCEPTION_FQCN)).isEqualTo(notRetryable
                    ? IllegalArgumentException.class.getName() : IllegalStateException.class.getName());
            assertThat(string(letter.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE)).endsWith(value);
            assertThat(string(letter.headers(), DeadLetterHeaders.EXCEPTION_STACKTRACE)).contains("DeadLetterIT");
            assertThat(integer(letter.headers(), DeadLetterHeaders.ATTEMPTS)).as("a not-retryable failure is tried once")
                    .isEqualTo(notRetryable ? 1 : 2);
            assertThat(names(letter.headers())).noneMatch(name -> name.startsWith("__parallel-consumer"));
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(sequence(value));
        }
        assertThat(byKey).hasSize(KEYS);
        byKey.forEach((key, sequences) -> assertThat(sequences).as("dead letters of " + key + " in offset order")
                .isSorted());
        List<String> timeline = List.copyOf(events);
        for (String event : timeline) {
            if (event.startsWith("dead ")) {
                String value = event.substring(5);
                String key = value.split(":")[0];
                int deadAt = timeline.indexOf(event);
                assertThat(timeline.subList(0, deadAt)).as("no later record of " + key + " started before " + value
                        + " was dead-lettered").noneMatch(other -> other.startsWith("start " + key + ":")
                                && sequence(other.substring(6)) > sequence(value));
            }
        }
    }

    @Test
    void anUndeserializableRecordLandsWithItsRawBytesAndTheOthersRun() {
        String topic = TestBroker.createTopic("dlt-poison", 1);
        kafka.createTopicNamed(topic + "-dlt", 1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 50; i++) {
                byte[] value = (i == 20 ? "poison" : "v" + i).getBytes(StandardCharsets.UTF_8);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, ("k" + i % 3).getBytes(
                        StandardCharsets.UTF_8), value);
                record.headers().add("origin", ("o" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
        }
        Queue<String> processed = new ConcurrentLinkedQueue<>();
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .valueDeserializer(new PoisonRefusing())
                .topics(topic).ordering(Ordering.KEY).concurrency(4)
                .handler(record -> processed.add(record.value()))
                .failurePolicy(DeadLetterPublisher.<String, String>to(producer()).build())
                .build();

        ConsumerRuns.runUntil(consumer, () -> processed.size() >= 49
                && consumer.snapshot().counters().deadLettered() == 1);

        ConsumerRecord<byte[], byte[]> letter = readAll(topic + "-dlt", 1).get(0);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("poison");
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("k2");
        assertThat(longValue(letter.headers(), DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo(20);
        assertThat(string(letter.headers(), "origin")).isEqualTo("o20");
        assertThat(string(letter.headers(), DeadLetterHeaders.EXCEPTION_FQCN))
                .isEqualTo(SerializationException.class.getName());
        assertThat(string(letter.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo("refusing poison");
        assertThat(integer(letter.headers(), DeadLetterHeaders.ATTEMPTS)).isZero();
        assertThat(names(letter.headers())).noneMatch(name -> name.startsWith("__parallel-consumer"));
        assertThat(processed).hasSize(49).doesNotContain("poison");
    }

    @Test
    void anUnreachableDeadLetterBrokerStopsTheConsumerUncommittedAndALaterRunDeadLettersTheRecord()
            throws Exception {
        String topic = TestBroker.createTopic("dlt-down", 1);
        kafka.createTopicNamed(topic + "-dlt", 1);
        TestBroker.produceSequenced(topic, 100, 1);
        String group = TestBroker.uniqueName("g");
        DeadLetterPublisher<String, String> down = DeadLetterPublisher.<String, String>to(kafka.producer(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1", ProducerConfig.MAX_BLOCK_MS_CONFIG, 300),
                new ByteArraySerializer(), new ByteArraySerializer())).tries(2, Backoff.none()).build();
        ParallelConsumer<String, String> first = failingAt50(topic, group, down);

        first.start();
        assertThat(first.termination().toCompletableFuture().get(1, TimeUnit.MINUTES))
                .isEqualTo(ConsumerState.FAILED);
        first.close(Duration.ofSeconds(5));

        assertThat(down.sendFailures()).isEqualTo(2);
        assertThat(first.snapshot().failure()).hasStackTraceContaining("Could not dead-letter record " + topic
                + "-0@50");
        TopicPartition partition = new TopicPartition(topic, 0);
        assertThat(TestBroker.committedOffsets(group, List.of(partition)).get(partition)).isEqualTo(50);

        DeadLetterPublisher<String, String> up = DeadLetterPublisher.<String, String>to(producer()).build();
        ParallelConsumer<String, String> second = failingAt50(topic, group, up);
        ConsumerRuns.runUntil(second, () -> second.snapshot().counters().deadLettered() == 1
                && TestBroker.committedOffsets(group, List.of(partition)).get(partition) == 100);

        ConsumerRecord<byte[], byte[]> letter = readAll(topic + "-dlt", 1).get(0);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("k0:50");
        assertThat(longValue(letter.headers(), DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo(50);
    }

    private ParallelConsumer<String, String> failingAt50(String topic, String group,
            DeadLetterPublisher<String, String> publisher) {
        return ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(group))
                .topics(topic).ordering(Ordering.KEY).concurrency(4).maxAttempts(1)
                .handler(record -> {
                    if (record.value().equals("k0:50")) {
                        throw new IllegalStateException("cannot take " + record.value());
                    }
                })
                .failurePolicy(publisher)
                .build();
    }

    /** The publisher, telling the timeline when a record was dead-lettered. */
    private static FailurePolicy<String, String> recording(DeadLetterPublisher<String, String> publisher,
            Queue<String> events) {
        return new FailurePolicy<>() {

            @Override
            public FailureAction onFailure(FailedRecord<String, String> failure) {
                FailureAction action = publisher.onFailure(failure);
                events.add("dead " + failure.record().value().toLowerCase());
                return action;
            }

            @Override
            public boolean keepsOriginalBytes() {
                return publisher.keepsOriginalBytes();
            }
        };
    }

    /** Sends {@code count} records over the keys, each with an {@code origin} header; their offsets by value. */
    private Map<String, Long> produce(String topic, int count) {
        Map<String, Long> offsets = new ConcurrentHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < count; i++) {
                String key = "k" + i % KEYS;
                String value = key + ":" + i / KEYS;
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                        key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
                record.headers().add("origin", value.getBytes(StandardCharsets.UTF_8));
                producer.send(record, (metadata, failure) -> offsets.put(value, metadata.offset()));
            }
            producer.flush();
        }
        return offsets;
    }

    /** A producer of bytes (acks=all, one request in flight), closed after the test. */
    private KafkaProducer<byte[], byte[]> producer() {
        return kafka.producer(Map.of(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Reads the topic from the start until it has {@code count} records, and checks it has no more. */
    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = kafka.readRecords(topic, count);
        assertThat(records).hasSize(count);
        return records;
    }

    private static int sequence(String value) {
        return Integer.parseInt(value.split(":")[1]);
    }

    private static String string(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertThat(header).as(name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static int integer(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertThat(header).as(name).isNotNull();
        return ByteBuffer.wrap(header.value()).getInt();
    }

    private static long longValue(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertThat(header).as(name).isNotNull();
        return ByteBuffer.wrap(header.value()).getLong();
    }

    private static List<String> names(Headers headers) {
        List<String> names = new ArrayList<>();
        headers.forEach(header -> names.add(header.key()));
        return names;
    }

    /** Deserializes text in capitals: the record's value cannot be turned back into the bytes it came from. */
    static final class Uppercase implements Deserializer<String> {

        private final StringDeserializer strings = new StringDeserializer();

        @Override
        public String deserialize(String topic, byte[] data) {
            return data == null ? null : strings.deserialize(topic, data).toUpperCase();
        }
    }

    /** Refuses the value {@code poison}. */
    static final class PoisonRefusing implements Deserializer<String> {

        @Override
        public String deserialize(String topic, byte[] data) {
            String value = new String(data, StandardCharsets.UTF_8);
            if (value.equals("poison")) {
                throw new SerializationException("refusing poison");
            }
            return value;
        }
    }
}
