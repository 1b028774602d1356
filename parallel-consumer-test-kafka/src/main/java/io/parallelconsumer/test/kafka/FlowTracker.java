package io.parallelconsumer.test.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows an event through an application by its correlation id: publish a request carrying the id in a header,
 * then find the response that carries the same id on another topic, and how long after the request it was written.
 * Reads topics from the beginning without a consumer group, so that it never disturbs the application's offsets.
 */
public final class FlowTracker implements AutoCloseable {

    /** The header the correlation id travels in unless {@link #withHeader} names another; UTF-8 text. */
    public static final String DEFAULT_HEADER = "correlation-id";

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaFixtures fixtures;
    private final String header;
    private final KafkaProducer<String, String> producer;

    /** A tracker that sends and reads through {@code fixtures} (and is closed with them or on its own). */
    public FlowTracker(KafkaFixtures fixtures) {
        this(fixtures, DEFAULT_HEADER, fixtures.producer());
    }

    private FlowTracker(KafkaFixtures fixtures, String header, KafkaProducer<String, String> producer) {
        this.fixtures = fixtures;
        this.header = header;
        this.producer = producer;
    }

    /** The same tracker, with the correlation id in header {@code name}. */
    public FlowTracker withHeader(String name) {
        return new FlowTracker(fixtures, name, producer);
    }

    /** Publishes a request with a new correlation id, once the broker has it; returns the id. */
    public String publish(String topic, String key, String value) {
        String correlationId = UUID.randomUUID().toString();
        publish(topic, key, value, correlationId);
        return correlationId;
    }

    /** Publishes a request carrying {@code correlationId}, and waits until the broker has it. */
    public void publish(String topic, String key, String value, String correlationId) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(header, correlationId.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get(KafkaFixtures.ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            throw new IllegalStateException("Could not publish to " + topic + ": " + ex.getCause(), ex.getCause());
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException("Publishing to " + topic + " took longer than "
                    + KafkaFixtures.ADMIN_TIMEOUT, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing to " + topic, ex);
        }
    }

    /** The first record of {@code topic} carrying {@code correlationId}, if one comes within {@code timeout}. */
    public Optional<ConsumerRecord<String, String>> awaitRecord(String topic, String correlationId,
            Duration timeout) {
        Map<String, ConsumerRecord<String, String>> found = find(List.of(topic), correlationId,
                System.nanoTime() + timeout.toNanos());
        return Optional.ofNullable(found.get(topic));
    }

    /**
     * Looks for the request and the response of one flow, until both are found or {@code timeout} is over.
     *
     * @return what was found, and the time between the two records' timestamps
     */
    public Flow trackEventFlow(String correlationId, String requestTopic, String responseTopic, Duration timeout) {
        Map<String, ConsumerRecord<String, String>> found = find(List.of(requestTopic, responseTopic), correlationId,
                System.nanoTime() + timeout.toNanos());
        return new Flow(correlationId, found.get(requestTopic), found.get(responseTopic));
    }

    private Map<String, ConsumerRecord<String, String>> find(List<String> topics, String correlationId,
            long deadline) {
        Map<String, Object> props = fixtures.consumerProperties(false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned, not subscribed: no group, no commits
        Map<String, ConsumerRecord<String, String>> found = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = topics.stream().distinct()
                    .flatMap(topic -> consumer.partitionsFor(topic).stream().map(FlowTracker::partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            do {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    if (!found.containsKey(record.topic()) && correlationId.equals(correlationId(record))) {
                        found.put(record.topic(), record);
                    }
                }
            }
            while (found.size() < topics.stream().distinct().count() && System.nanoTime() < deadline);
        }
        return found;
    }

    private String correlationId(ConsumerRecord<?, ?> record) {
        Header last = record.headers().lastHeader(header);
        return last == null || last.value() == null ? null : new String(last.value(), StandardCharsets.UTF_8);
    }

    private static TopicPartition partition(PartitionInfo info) {
        return new TopicPartition(info.topic(), info.partition());
    }

    @Override
    public void close() {
        producer.close();
    }

    /**
     * One flow: the request and the response found, {@code null} where not.
     *
     * @param correlationId the id both carry
     * @param request the request record
     * @param response the response record
     */
    public record Flow(String correlationId, ConsumerRecord<String, String> request,
            ConsumerRecord<String, String> response) {

        public boolean requestFound() {
            return request != null;
        }

        public boolean responseFound() {
            return response != null;
        }

        /** From the request's timestamp to the response's; empty unless both were found. */
        public Optional<Duration> duration() {
            return requestFound() && responseFound()
                    ? Optional.of(Duration.ofMillis(response.timestamp() - request.timestamp()))
                    : Optional.empty();
        }
    }
}
