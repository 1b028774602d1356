package io.parallelconsumer.validation.producer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.validation.log.DurableLog;
import io.parallelconsumer.validation.log.LogLine;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer process: sends at a fixed rate for a duration (or until stopped), over {@code keys} keys chosen at
 * random from a seed, each record with its key's sequence number and its send time in headers, and logs every
 * acknowledgement (and every record given up on) durably. Idempotent with {@code acks=all}, so a broker's death
 * neither duplicates nor reorders what it acknowledges.
 *
 * <p>Arguments: {@code bootstrapServers topic ratePerSecond durationSeconds keys valueBytes seed logFile
 * [maxRecords]}; a rate of 0 sends as fast as the producer takes them (to build a backlog), and it stops after
 * {@code maxRecords} when given.
 */
public final class ProducerMain {

    private ProducerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 8 && args.length != 9) {
            throw new IllegalArgumentException("Expected: bootstrapServers topic ratePerSecond durationSeconds keys "
                    + "valueBytes seed logFile [maxRecords]");
        }
        long maxRecords = args.length == 9 ? Long.parseLong(args[8]) : Long.MAX_VALUE;
        String topic = args[1];
        int rate = Integer.parseInt(args[2]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[3]));
        int keys = Integer.parseInt(args[4]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[6]));
        byte[] value = new byte[Integer.parseInt(args[5])];
        random.nextBytes(value);
        DurableLog log = new DurableLog(Path.of(args[7]));

        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // SIGTERM ends the sending early; the hook waits until everything sent was acknowledged or given up on.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            try {
                closed.await(150, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "producer-stop"));

        long[] sequences = new long[keys];
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config(args[0]))) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            for (long i = 0; i < maxRecords; i++) {
                long due = rate > 0 ? start + TimeUnit.SECONDS.toNanos(i) / rate : System.nanoTime();
                if (due >= end || stopped.await(Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                int keyIndex = random.nextInt(keys);
                String key = "k" + keyIndex;
                long sequence = sequences[keyIndex]++;
                long sent = DurableLog.nowMicros();
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
                record.headers().add(LogLine.SEQUENCE_HEADER, ascii(sequence));
                record.headers().add(LogLine.SENT_HEADER, ascii(sent));
                producer.send(record, (metadata, failure) -> {
                    if (failure == null) {
                        log.append(LogLine.ACKED, metadata.partition(), metadata.offset(), key, sequence, sent,
                                DurableLog.nowMicros());
                    }
                    else {
                        log.append(LogLine.FAILED, key, sequence, sent, failure.getClass().getName());
                    }
                });
            }
            producer.flush();
        }
        finally {
            log.close();
            closed.countDown();
        }
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static Map<String, Object> config(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        // Long enough to ride out a broker restart; a record still not acknowledged after it is logged as failed.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return config;
    }
}
