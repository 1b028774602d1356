package io.parallelconsumer.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import io.parallelconsumer.testing.ProcessingLog;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Spring Boot application with @ParallelListener methods, on a real broker. */
class ParallelListenerIT {

    private static final int RECORDS = 3000;

    @Test
    void listenersOfEveryShapeReceiveEveryRecordInKeyOrderAndCommitOnShutdown() {
        String recordTopic = TestBroker.createTopic("spring-record", 3);
        String payloadTopic = TestBroker.createTopic("spring-payload", 3);
        String asyncRecordTopic = TestBroker.createTopic("spring-async-record", 3);
        Map<String, Integer> recordExpected = TestBroker.produceSequenced(recordTopic, RECORDS, 50);
        Map<String, Integer> payloadExpected = TestBroker.produceSequenced(payloadTopic, RECORDS, 50);
        Map<String, Integer> asyncRecordExpected = TestBroker.produceSequenced(asyncRecordTopic, RECORDS, 50);
        Handlers handlers = new Handlers();

        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
                        ParallelConsumerAutoConfiguration.class))
                .withBean(Handlers.class, () -> handlers)
                .withPropertyValues("spring.kafka.bootstrap-servers=" + TestBroker.bootstrapServers(),
                        "spring.kafka.consumer.auto-offset-reset=earliest",
                        "record.topic=" + recordTopic, "payload.topic=" + payloadTopic,
                        "async-record.topic=" + asyncRecordTopic,
                        "parallel-consumer.concurrency=8",
                        "parallel-consumer.listeners.payloads.concurrency=24")
                .run(context -> {
                    await().atMost(Duration.ofMinutes(1)).until(() -> handlers.records.processed() >= RECORDS
                            && handlers.payloadCount.get() >= RECORDS
                            && handlers.asyncRecords.processed() >= RECORDS);
                    ParallelListenerRegistry registry = context.getBean(ParallelListenerRegistry.class);
                    assertThat(registry.getConsumer("records").state()).isEqualTo(ConsumerState.RUNNING);
                    assertThat(registry.getConsumer("records").options().concurrency()).isEqualTo(8);
                    assertThat(registry.getConsumer("payloads").options().concurrency())
                            .as("per-listener property wins").isEqualTo(24);
                    assertThat(registry.getConsumer("payloads").options().asyncHandler()).isNotNull();
                });

        assertThat(handlers.records.exactOrderViolations(recordExpected)).isEmpty();
        assertThat(handlers.asyncRecords.exactOrderViolations(asyncRecordExpected)).isEmpty();
        payloadExpected.forEach((key, count) -> assertThat(handlers.payloads.get(key))
                .as("payload sequence of %s", key).containsExactlyElementsOf(sequence(count)));
        // Closing the context stopped the listeners gracefully: everything done is committed.
        assertThat(TestBroker.committedTotal("records-app", recordTopic, 3)).isEqualTo(RECORDS);
        assertThat(TestBroker.committedTotal("payloads", payloadTopic, 3)).isEqualTo(RECORDS);
    }

    private static List<Integer> sequence(int count) {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(i);
        }
        return values;
    }

    static class Handlers {
        final ProcessingLog records = new ProcessingLog();
        final Map<String, List<Integer>> payloads = new ConcurrentHashMap<>();
        final AtomicInteger payloadCount = new AtomicInteger();
        private final Executor later = CompletableFuture.delayedExecutor(200, TimeUnit.MICROSECONDS);

        @ParallelListener(id = "records", topics = "${record.topic}", groupId = "records-app")
        void onRecord(ConsumerRecord<String, String> record) {
            records.process(record, () -> { });
        }

        final ProcessingLog asyncRecords = new ProcessingLog();

        /** The whole record, completed asynchronously. */
        @ParallelListener(id = "async-records", topics = "${async-record.topic}")
        CompletionStage<Void> onAsyncRecord(ConsumerRecord<String, String> record) {
            asyncRecords.begin(record);
            return CompletableFuture.runAsync(() -> asyncRecords.end(record), later);
        }

        /** The value only, completed asynchronously. */
        @ParallelListener(id = "payloads", topics = "${payload.topic}")
        CompletionStage<Void> onPayload(String value) {
            return CompletableFuture.runAsync(() -> {
                String[] parts = value.split(":");
                List<Integer> seen = payloads.computeIfAbsent(parts[0], k -> new ArrayList<>());
                synchronized (seen) {
                    seen.add(Integer.parseInt(parts[1]));
                }
                payloadCount.incrementAndGet();
            }, later);
        }
    }
}
