package io.parallelconsumer.deadletter;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import io.parallelconsumer.Backoff;
import io.parallelconsumer.FailedRecord;
import io.parallelconsumer.FailureAction;
import io.parallelconsumer.FailurePolicy;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure policy that publishes each record given up on to a dead-letter topic - {@code <topic>-dlt} and the same
 * partition, unless told otherwise - with its key and value exactly as fetched, its headers, and headers saying where
 * it came from and why it failed ({@link DeadLetterHeaders}). It waits for the broker's acknowledgement before the
 * record counts as done, so its offset is committed only once the dead letter is safe; a send that fails is tried
 * again after a backoff, and when the tries are used up the consumer stops without committing the record.
 * <p>
 * It runs on the thread that gave up on the record, so in {@code KEY} order the key's later records wait until it is
 * published: a dead-letter topic holds each key's failures in the order they were consumed. The consumer keeps every
 * record's bytes while it is in flight for this ({@link #keepsOriginalBytes()}).
 *
 * @param <K> the key type of the consumer
 * @param <V> the value type of the consumer
 */
public final class DeadLetterPublisher<K, V> implements FailurePolicy<K, V> {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Function<FailedRecord<?, ?>, TopicPartition> destination;
    private final boolean samePartition;
    private final String groupId;
    private final Duration sendTimeout;
    private final int maxTries;
    private final Backoff backoff;
    private final Predicate<String> topicExists;
    private final Consumer<Throwable> onSendFailure;
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    /** Dead-letter topics found to exist, checked before the first send to each. */
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final LongAdder published = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();

    private DeadLetterPublisher(Builder<K, V> builder) {
        this.producer = builder.producer;
        this.destination = builder.destination;
        this.samePartition = builder.samePartition;
        this.groupId = builder.groupId;
        this.sendTimeout = builder.sendTimeout;
        this.maxTries = builder.maxTries;
        this.backoff = builder.backoff;
        this.topicExists = builder.topicExists;
        this.onSendFailure = builder.onSendFailure;
    }

    /** A publisher through this producer, which it does not close. */
    public static <K, V> Builder<K, V> to(Producer<byte[], byte[]> producer) {
        return new Builder<>(producer);
    }

    @Override
    public boolean keepsOriginalBytes() {
        return true;
    }

    @Override
    public FailureAction onFailure(FailedRecord<K, V> failure) {
        TopicPartition target = destination.apply(failure);
        byte[] key = bytes(failure.rawKey(), failure, true);
        byte[] value = bytes(failure.rawValue(), failure, false);
        Headers headers = DeadLetterHeaders.of(failure, groupId);
        String subject = failure.topic() + "-" + failure.partition() + "@" + failure.offset();
        for (int tries = 1; ; tries++) {
            try {
                requireTopic(target.topic(), subject);
                // The partition lookup is part of the try: it needs the dead-letter broker as much as the send.
                // No timestamp: the broker gives the dead letter its own; the original is in a header.
                ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(target.topic(), partitionFor(target),
                        null, key, value, headers);
                producer.send(letter).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
                published.increment();
                log.warn("Record {} dead-lettered to {} after {} attempt(s): {}", subject, target.topic(),
                        failure.attempts(), failure.cause().toString());
                return FailureAction.DEAD_LETTERED;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new DeadLetterException("Interrupted while dead-lettering record " + subject + " to "
                        + target.topic() + "; it stays uncommitted", ex);
            }
            catch (DeadLetterException ex) {
                sendFailed(ex);
                throw ex; // nothing a retry would mend
            }
            catch (ExecutionException | TimeoutException | RuntimeException ex) {
                Throwable why = ex instanceof ExecutionException ? ex.getCause() : ex;
                sendFailed(why);
                if (tries >= maxTries) {
                    throw new DeadLetterException("Could not dead-letter record " + subject + " to " + target.topic()
                            + " in " + tries + " tries (last: " + why + "); the consumer stops without committing it."
                            + " Check that the topic exists and the producer may write to it", why);
                }
                Duration delay = backoff.delay(tries);
                log.warn("Dead-lettering record {} to {} failed (try {} of {}); trying again in {}", subject,
                        target.topic(), tries, maxTries, delay, why);
                pause(delay, subject);
            }
        }
    }

    private void sendFailed(Throwable why) {
        sendFailures.increment();
        try {
            onSendFailure.accept(why);
        }
        catch (RuntimeException ex) {
            log.warn("The dead-letter send failure listener failed", ex);
        }
    }

    /** Records published to a dead-letter topic so far. */
    public long published() {
        return published.sum();
    }

    /** Tries to dead-letter a record that failed so far (a send, or the check that the topic exists), each counted. */
    public long sendFailures() {
        return sendFailures.sum();
    }

    /**
     * A topic the check does not find stops the consumer: sending to it could make a broker that creates topics on
     * first use create it, with a broker's defaults, unnoticed. A check that cannot answer (the broker away) counts as
     * a failed try.
     */
    private void requireTopic(String topic, String subject) {
        if (topicExists == null || existing.contains(topic)) {
            return;
        }
        if (!topicExists.test(topic)) {
            throw new DeadLetterException("The dead-letter topic " + topic + " of record " + subject + " does not"
                    + " exist; the consumer stops without committing the record. Create the topic (as the record's"
                    + " own topic was created), then start the consumer again", null);
        }
        existing.add(topic);
    }

    /** The target's partition, or {@code null} to let the producer choose. */
    private Integer partitionFor(TopicPartition target) {
        return target.partition() >= 0 && exists(target) ? target.partition() : null;
    }

    /** Whether the partition exists; when it does not, the producer picks one (as Spring Kafka does). */
    private boolean exists(TopicPartition target) {
        if (!samePartition) {
            return true;
        }
        int count = partitionCounts.computeIfAbsent(target.topic(), topic -> {
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            return partitions == null ? 0 : partitions.size();
        });
        return target.partition() < count;
    }

    private static byte[] bytes(ByteBuffer raw, FailedRecord<?, ?> failure, boolean key) {
        if (raw != null) {
            ByteBuffer copy = raw.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return bytes;
        }
        Object deserialized = failure.record() == null ? null : key ? failure.record().key() : failure.record().value();
        if (deserialized == null || deserialized instanceof byte[]) {
            return (byte[]) deserialized; // a null key or value, or a consumer of bytes
        }
        throw new DeadLetterException("The " + (key ? "key" : "value") + " bytes of record " + failure.topic() + "-"
                + failure.partition() + "@" + failure.offset() + " were not kept, so it cannot be dead-lettered"
                + " unchanged: the consumer factory creates its deserializers without the consumer properties'"
                + " key.deserializer and value.deserializer; name them there", null);
    }

    private static void pause(Duration delay, String subject) {
        try {
            Thread.sleep(delay.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("Interrupted while waiting to dead-letter record " + subject
                    + " again; it stays uncommitted", ex);
        }
    }

    @Override
    public String toString() {
        return "DeadLetterPublisher[tries=" + maxTries + ", sendTimeout=" + sendTimeout + "]";
    }

    /** Settings of a {@link DeadLetterPublisher}. */
    public static final class Builder<K, V> {

        /** What is appended to a record's topic to name its dead-letter topic, unless a destination is set. */
        public static final String DEFAULT_SUFFIX = "-dlt";

        private final Producer<byte[], byte[]> producer;
        private Function<FailedRecord<?, ?>, TopicPartition> destination = suffixed(DEFAULT_SUFFIX);
        private boolean samePartition = true;
        private String groupId;
        private Duration sendTimeout = Duration.ofSeconds(30);
        private int maxTries = 3;
        private Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.0);
        private Predicate<String> topicExists;
        private Consumer<Throwable> onSendFailure = failure -> { };

        private Builder(Producer<byte[], byte[]> producer) {
            this.producer = Objects.requireNonNull(producer, "producer");
        }

        /** The dead-letter topic is the record's topic and this suffix ({@value #DEFAULT_SUFFIX} by default). */
        public Builder<K, V> topicSuffix(String suffix) {
            if (suffix == null || suffix.isBlank()) {
                throw new IllegalArgumentException("The dead-letter topic suffix must not be blank");
            }
            this.destination = suffixed(suffix);
            return this;
        }

        /**
         * Where each record goes; a partition below 0 lets the producer choose. Replaces the suffix.
         */
        public Builder<K, V> destination(Function<FailedRecord<?, ?>, TopicPartition> destination) {
            this.destination = Objects.requireNonNull(destination, "destination");
            return this;
        }

        /**
         * Whether a record goes to the partition of its own number, when the dead-letter topic has it (the
         * default); otherwise, and when it has fewer partitions, the producer chooses.
         */
        public Builder<K, V> samePartition(boolean samePartition) {
            this.samePartition = samePartition;
            return this;
        }

        /** The consumer group, named in the {@value DeadLetterHeaders#ORIGINAL_CONSUMER_GROUP} header. */
        public Builder<K, V> groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** How long one send may wait for the broker's acknowledgement; 30 s by default. */
        public Builder<K, V> sendTimeout(Duration sendTimeout) {
            if (sendTimeout == null || sendTimeout.isNegative() || sendTimeout.isZero()) {
                throw new IllegalArgumentException("The dead-letter send timeout must be positive, but was "
                        + sendTimeout);
            }
            this.sendTimeout = sendTimeout;
            return this;
        }

        /** How many sends of one record to try, and the delay between them; 3 tries, 1 s then 2 s, by default. */
        public Builder<K, V> tries(int maxTries, Backoff backoff) {
            if (maxTries < 1) {
                throw new IllegalArgumentException("At least one dead-letter send must be tried, but tries was "
                        + maxTries);
            }
            this.maxTries = maxTries;
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Checks, before the first send to each dead-letter topic, that it exists (for example with an
         * {@code Admin}'s {@code describeTopics}); a topic it does not find stops the consumer without committing the
         * record, rather than a broker creating the topic on first use. Not checked unless set.
         */
        public Builder<K, V> requireExistingTopic(Predicate<String> topicExists) {
            this.topicExists = Objects.requireNonNull(topicExists, "topicExists");
            return this;
        }

        /** Told of each failed try to dead-letter a record, with why, for metrics; it must not block. */
        public Builder<K, V> onSendFailure(Consumer<Throwable> onSendFailure) {
            this.onSendFailure = Objects.requireNonNull(onSendFailure, "onSendFailure");
            return this;
        }

        public DeadLetterPublisher<K, V> build() {
            return new DeadLetterPublisher<>(this);
        }

        private static Function<FailedRecord<?, ?>, TopicPartition> suffixed(String suffix) {
            return failed -> new TopicPartition(failed.topic() + suffix, failed.partition());
        }
    }
}
