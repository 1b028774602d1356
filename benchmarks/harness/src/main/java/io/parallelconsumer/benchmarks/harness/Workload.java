package io.parallelconsumer.benchmarks.harness;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces the workload: {@code records} records over {@code keys} keys ({@code k0}, {@code k1}...) chosen at
 * random with a fixed seed, so every run gets the same sequence; each record carries its key's sequence number
 * and its produce time ({@link System#nanoTime()}, so latencies are only meaningful in this JVM) as headers, and a
 * value of {@code payloadBytes} bytes. Partitioning by key is Kafka's default.
 */
final class Workload {

    private static final long SEED = 20261122L;

    private final String bootstrapServers;
    private final String topic;
    private final int records;
    private final int keys;
    private final byte[] payload;

    Workload(String bootstrapServers, String topic, int records, int keys, int payloadBytes) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.records = records;
        this.keys = keys;
        this.payload = new byte[payloadBytes];
        new SplittableRandom(SEED).nextBytes(payload);
    }

    static int keyIndex(String key) {
        return Integer.parseInt(key, 1, key.length(), 10);
    }

    /**
     * Sends every record and waits until all are acknowledged.
     * @param ratePerSecond records per second, or 0 for as fast as the producer goes
     */
    void produce(int ratePerSecond) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(SEED);
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        int[] sequences = new int[keys];
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig())) {
            for (int i = 0; i < records; i++) {
                if (ratePerSecond > 0) {
                    long due = start + TimeUnit.SECONDS.toNanos(i) / ratePerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                int key = random.nextInt(keys);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "k" + key, payload);
                record.headers().add(RunRecorder.SEQUENCE_HEADER,
                        ByteBuffer.allocate(4).putInt(sequences[key]++).array());
                record.headers().add(RunRecorder.PRODUCED_HEADER,
                        ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
                producer.send(record, (metadata, failure) -> {
                    if (failure != null && !firstFailure.compareAndSet(null, failure)) {
                        firstFailure.get().addSuppressed(failure);
                    }
                });
            }
            producer.flush();
        }
        if (firstFailure.get() != null) {
            // A record that was never written would show as "missing" and be blamed on the consumer.
            throw new IllegalStateException("Producing the workload failed; the run is void", firstFailure.get());
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // Idempotent producers loop on OUT_OF_ORDER_SEQUENCE_NUMBER against a topic just deleted and recreated
        // under the same name (seen on this broker, 4.2.1); one request in flight keeps the order without it.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return config;
    }
}
