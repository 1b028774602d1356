package io.parallelconsumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.parallelconsumer.testing.ConsumerRuns;
import io.parallelconsumer.testing.ProcessingLog;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Retries with backoff, the failure policy, and records that cannot be deserialized. */
class RetryAndFailureIT {

    private static ParallelConsumerBuilder<String, String> builder(String topic) {
        return ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .ordering(Ordering.KEY)
                .concurrency(8)
                .maxAttempts(3)
                .backoff(Backoff.exponential(Duration.ofMillis(5), 2.0, Duration.ofMillis(50), 0.5));
    }

    @Test
    void transientFailuresAreRetriedInKeyOrder() {
        String topic = TestBroker.createTopic("retry", 2);
        Map<String, Integer> expected = TestBroker.produceSequenced(topic, 1000, 20);
        ProcessingLog log = new ProcessingLog();
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        ParallelConsumer<String, String> consumer = builder(topic)
                .handler(record -> {
                    // Every tenth record of a key fails twice, then succeeds on its third attempt.
                    int attempt = attemptOfEveryTenth(record, attempts);
                    if (attempt == 1 || attempt == 2) {
                        throw new IllegalStateException("transient failure of " + record.value());
                    }
                    log.process(record, () -> { });
                })
                .build();
        assertEveryTenthRecordRetriedTwiceInKeyOrder(consumer, expected, log);
    }

    /** Which attempt this is at a record whose sequence number in its key is a multiple of ten; 0 for the others. */
    private static int attemptOfEveryTenth(ConsumerRecord<String, String> record, Map<String, AtomicInteger> attempts) {
        int sequence = Integer.parseInt(record.value().split(":")[1]);
        return sequence % 10 != 0 ? 0
                : attempts.computeIfAbsent(record.value(), value -> new AtomicInteger()).incrementAndGet();
    }

    /** Runs the consumer until all 1,000 records are done: in key order, every tenth of a key failing twice. */
    private static void assertEveryTenthRecordRetriedTwiceInKeyOrder(ParallelConsumer<String, String> consumer,
            Map<String, Integer> expected, ProcessingLog log) {
        ConsumerRuns.runUntil(consumer, () -> log.processed() >= 1000);
        assertThat(log.exactOrderViolations(expected)).isEmpty();
        long failing = expected.values().stream().mapToLong(count -> (count + 9) / 10).sum();
        ConsumerSnapshot.Counters counters = consumer.snapshot().counters();
        assertThat(counters.failedAttempts()).isEqualTo(2 * failing);
        assertThat(counters.skipped()).isZero();
        assertThat(counters.topics().values()).as("one topic, each failed attempt retried").singleElement()
                .satisfies(topic -> {
                    assertThat(topic.retried()).isEqualTo(2 * failing);
                    assertThat(topic.failed()).isZero();
                    assertThat(topic.succeeded()).isEqualTo(counters.succeeded());
                });
    }

    @Test
    void asyncFailuresAreRetriedInKeyOrderWhetherTheyThrowOrFailTheStage() {
        String topic = TestBroker.createTopic("retry-async", 2);
        Map<String, Integer> expected = TestBroker.produceSequenced(topic, 1000, 20);
        ProcessingLog log = new ProcessingLog();
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        ParallelConsumer<String, String> consumer = builder(topic)
                .asyncHandler(record -> {
                    // Every tenth record of a key first throws, then returns a failed stage, then succeeds; the
                    // others complete at once or a little later.
                    int attempt = attemptOfEveryTenth(record, attempts);
                    if (attempt == 1) {
                        throw new IllegalStateException("transient failure of " + record.value());
                    }
                    if (attempt == 2) {
                        return CompletableFuture.failedFuture(new IllegalStateException("failed stage"));
                    }
                    if (Integer.parseInt(record.value().split(":")[1]) % 3 == 0) {
                        return CompletableFuture.runAsync(() -> log.process(record, () -> { }));
                    }
                    log.process(record, () -> { });
                    return CompletableFuture.completedFuture(null);
                })
                .build();
        assertEveryTenthRecordRetriedTwiceInKeyOrder(consumer, expected, log);
    }

    @Test
    void aRecordThatAlwaysFailsGoesToTheFailurePolicyAndItsKeyMovesOnAfterIt() {
        String topic = TestBroker.createTopic("poison", 1);
        Map<String, Integer> expected = TestBroker.produceSequenced(topic, 500, 5);
        List<FailedRecord<String, String>> failures = new CopyOnWriteArrayList<>();
        List<String> processed = new CopyOnWriteArrayList<>();
        ParallelConsumer<String, String> consumer = builder(topic)
                .handler(record -> {
                    if (record.value().equals("k1:3")) {
                        throw new IllegalArgumentException("cannot handle " + record.value());
                    }
                    processed.add(record.value());
                })
                .failurePolicy(failure -> {
                    failures.add(failure);
                    return FailureAction.SKIP;
                })
                .build();
        ConsumerRuns.runUntil(consumer, () -> processed.size() >= 499);
        assertThat(failures).singleElement().satisfies(failure -> {
            assertThat(failure.kind()).isEqualTo(FailedRecord.Kind.HANDLER_FAILED);
            assertThat(failure.record().value()).isEqualTo("k1:3");
            assertThat(failure.attempts()).isEqualTo(3);
            assertThat(failure.cause()).isInstanceOf(IllegalArgumentException.class);
        });
        // The key's later records ran after it, in order; other keys were never held up.
        List<String> k1 = processed.stream().filter(v -> v.startsWith("k1:")).toList();
        assertThat(k1.subList(0, 4)).containsExactly("k1:0", "k1:1", "k1:2", "k1:4");
        assertThat(processed).hasSize(499).doesNotHaveDuplicates();
        assertThat(consumer.snapshot().counters().skipped()).isEqualTo(1);
        assertThat(TestBroker.committedTotal(consumer.options().groupId(), topic, 1)).isEqualTo(500);
        assertThat(expected.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(500);
    }

    @Test
    void aNotRetryableFailureGoesToThePolicyAfterOneAttemptEvenWhenItArrivesWrapped() {
        String topic = TestBroker.createTopic("not-retryable", 1);
        TestBroker.produceSequenced(topic, 200, 4);
        List<FailedRecord<String, String>> failures = new CopyOnWriteArrayList<>();
        List<String> processed = new CopyOnWriteArrayList<>();
        ParallelConsumer<String, String> consumer = builder(topic)
                .maxAttempts(5)
                .notRetryable(IllegalArgumentException.class)
                .notRetryableIf(failure -> failure.getMessage() != null && failure.getMessage().contains("never"))
                .asyncHandler(record -> switch (record.value()) {
                    case "k1:3" -> CompletableFuture.failedFuture(
                            new CompletionException(new IllegalArgumentException("invalid " + record.value())));
                    case "k2:5" -> CompletableFuture.failedFuture(new IllegalStateException("never valid"));
                    case "k3:7" -> CompletableFuture.failedFuture(new IllegalStateException("transient"));
                    default -> {
                        processed.add(record.value());
                        yield CompletableFuture.completedFuture(null);
                    }
                })
                .failurePolicy(failure -> {
                    failures.add(failure);
                    return FailureAction.SKIP;
                })
                .build();
        ConsumerRuns.runUntil(consumer, () -> processed.size() >= 197);

        assertThat(failures).extracting(failure -> failure.record().value(), FailedRecord::attempts)
                .containsExactlyInAnyOrder(tuple("k1:3", 1), tuple("k2:5", 1), tuple("k3:7", 5));
        assertThat(consumer.snapshot().counters().failedAttempts()).isEqualTo(1 + 1 + 5);
        assertThat(processed).hasSize(197).doesNotHaveDuplicates();
    }

    @Test
    void anUndeserializableRecordReachesThePolicyWithItsBytesAndTheConsumerMovesOn() {
        String topic = TestBroker.createTopic("undeserializable", 1);
        try (KafkaProducer<String, String> producer = TestBroker.producer()) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "k", i == 42 ? "poison" : "k:" + i));
            }
        }
        List<FailedRecord<String, String>> failures = new CopyOnWriteArrayList<>();
        List<String> processed = new CopyOnWriteArrayList<>();
        ParallelConsumer<String, String> consumer = builder(topic)
                .valueDeserializer(new RejectingDeserializer())
                .handler(record -> processed.add(record.value()))
                .failurePolicy(failure -> {
                    failures.add(failure);
                    return FailureAction.SKIP;
                })
                .build();
        ConsumerRuns.runUntil(consumer, () -> processed.size() >= 99);
        assertThat(failures).singleElement().satisfies(failure -> {
            assertThat(failure.kind()).isEqualTo(FailedRecord.Kind.DESERIALIZATION_FAILED);
            assertThat(failure.record()).isNull();
            assertThat(failure.partition()).isZero();
            assertThat(failure.offset()).isEqualTo(42);
            assertThat(StandardCharsets.UTF_8.decode(failure.rawValue()).toString()).isEqualTo("poison");
            assertThat(StandardCharsets.UTF_8.decode(failure.rawKey()).toString()).isEqualTo("k");
        });
        assertThat(processed).hasSize(99).doesNotContain("poison");
        assertThat(TestBroker.committedTotal(consumer.options().groupId(), topic, 1)).isEqualTo(100);
    }

    @Test
    void aStoppingPolicyFailsTheConsumerWithoutCommittingTheRecord() throws Exception {
        String topic = TestBroker.createTopic("stop", 1);
        TestBroker.produceSequenced(topic, 200, 1);
        ParallelConsumer<String, String> consumer = builder(topic)
                .maxAttempts(1)
                .handler(record -> {
                    if (record.value().equals("k0:50")) {
                        throw new IllegalStateException("fatal for " + record.value());
                    }
                })
                .failurePolicy(failure -> FailureAction.STOP)
                .build();
        consumer.start();
        assertThat(consumer.termination().toCompletableFuture().get(1, TimeUnit.MINUTES))
                .isEqualTo(ConsumerState.FAILED);
        consumer.close(Duration.ofSeconds(5));

        assertThat(consumer.snapshot().failure()).hasMessageContaining("@50").hasRootCauseMessage("fatal for k0:50");
        long committed = TestBroker.committedOffsets(consumer.options().groupId(),
                List.of(new TopicPartition(topic, 0))).get(new TopicPartition(topic, 0));
        assertThat(committed).isEqualTo(50);
    }

    @Test
    void aFatalHandlerExceptionStopsTheConsumerAtOnceWithoutRetryPolicyOrCommit() throws Exception {
        assertFatalStops(builder -> builder.handler(record -> {
            if (record.value().equals("k0:50")) {
                throw new FatalHandlerException("cannot take " + record.value(), new ClassCastException("no"));
            }
        }));
    }

    @Test
    void aStageFailedWithAFatalHandlerExceptionStopsTheConsumerTheSameWay() throws Exception {
        assertFatalStops(builder -> builder.asyncHandler(record -> record.value().equals("k0:50")
                ? CompletableFuture.supplyAsync(() -> {
                    throw new FatalHandlerException("cannot take " + record.value(), new ClassCastException("no"));
                })
                : CompletableFuture.completedFuture(null)));
    }

    /** The default policy would skip and commit a failing record; a fatal one must stop the consumer before it. */
    private static void assertFatalStops(
            java.util.function.Consumer<ParallelConsumerBuilder<String, String>> withHandler) throws Exception {
        String topic = TestBroker.createTopic("fatal", 1);
        TestBroker.produceSequenced(topic, 200, 1);
        List<FailedRecord<String, String>> policyCalls = new CopyOnWriteArrayList<>();
        ParallelConsumerBuilder<String, String> builder = builder(topic)
                .failurePolicy(failure -> {
                    policyCalls.add(failure);
                    return FailureAction.SKIP;
                });
        withHandler.accept(builder);
        ParallelConsumer<String, String> consumer = builder.build();
        consumer.start();
        assertThat(consumer.termination().toCompletableFuture().get(1, TimeUnit.MINUTES))
                .isEqualTo(ConsumerState.FAILED);
        consumer.close(Duration.ofSeconds(5));

        assertThat(policyCalls).isEmpty();
        assertThat(consumer.snapshot().counters().failedAttempts()).isEqualTo(1); // not retried
        assertThat(consumer.snapshot().counters().skipped()).isZero();
        assertThat(consumer.snapshot().failure()).hasMessageContaining("@50")
                .hasCauseInstanceOf(FatalHandlerException.class);
        long committed = TestBroker.committedOffsets(consumer.options().groupId(),
                List.of(new TopicPartition(topic, 0))).get(new TopicPartition(topic, 0));
        assertThat(committed).isEqualTo(50);
    }

    /** Reads strings, but rejects the value "poison". */
    public static final class RejectingDeserializer implements Deserializer<String> {
        private final StringDeserializer strings = new StringDeserializer();

        @Override
        public String deserialize(String topic, byte[] data) {
            String value = strings.deserialize(topic, data);
            if ("poison".equals(value)) {
                throw new IllegalArgumentException("not a valid value: " + value);
            }
            return value;
        }
    }
}
