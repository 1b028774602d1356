package io.parallelconsumer.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.micrometer.tracing.brave.bridge.BraveFinishedSpan;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.test.kafka.KafkaFixtures;
import io.parallelconsumer.test.kafka.WithKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code parallel-consumer.observation-enabled} in an application with Spring Boot's Brave tracing: each listener's
 * span continues the producer's trace from the record's {@code traceparent} (or {@code b3}) header, is current with
 * its ids in the MDC while the method runs, has an event for a retry, and ends - for an async method - only after
 * its stage completed. Platform threads, the auto engine (virtual threads on Java 21+) and an async method.
 */
@WithKafka
@SpringBootTest(classes = TracingListenerIT.Application.class, properties = {
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "management.tracing.sampling.probability=1.0",
        "parallel-consumer.observation-enabled=true",
        "parallel-consumer.retry.max-attempts=2",
        "parallel-consumer.retry.backoff.initial=10ms",
        "parallel-consumer.listeners.platform.engine=platform",
        "parallel-consumer.listeners.auto.engine=auto" })
@DirtiesContext // its listeners stop with the class, before the fixtures delete their topics
class TracingListenerIT {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_ID = "00f067aa0ba902b7";
    private static final String B3_TRACE_ID = "80f198ee56343ba864fe8b2a57d3eff7";
    private static final String B3_PARENT_ID = "e457b5a2e4d86bd1";

    private static String topic;

    /** What each listener's method saw, by {@code <listener>:<value>}. */
    static final Map<String, Map<String, String>> SEEN_MDC = new ConcurrentHashMap<>();
    static final List<FinishedSpan> SPANS = new CopyOnWriteArrayList<>();
    /** Per async record: whether its stage had completed when its span ended. */
    static final Map<String, Boolean> ASYNC_DONE_AT_END = new ConcurrentHashMap<>();
    static final Map<String, AtomicBoolean> ASYNC_DONE = new ConcurrentHashMap<>();
    static final Map<String, Integer> ATTEMPTS = new ConcurrentHashMap<>();

    @Autowired
    private KafkaTemplate<String, String> template;

    @BeforeAll
    static void createTopic(KafkaFixtures kafka) {
        topic = kafka.createTopic("traced", 2);
    }

    @DynamicPropertySource
    static void topics(DynamicPropertyRegistry registry) {
        registry.add("app.topic", () -> topic);
    }

    @Test
    void eachListenersSpanContinuesTheProducersTraceOnEveryEngine() {
        send("w3c", "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01");
        send("b3", "b3", B3_TRACE_ID + "-" + B3_PARENT_ID + "-1");
        send("fail-once", "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01");

        List<String> listeners = List.of("platform", "auto", "async");
        await().atMost(java.time.Duration.ofSeconds(60)).until(() -> SPANS.stream()
                .filter(span -> span.getName().equals(topic + " process")).count() >= 9);

        for (String listener : listeners) {
            List<FinishedSpan> mine = SPANS.stream()
                    .filter(span -> listener.equals(span.getTags().get("listener")))
                    .toList();
            assertThat(mine).as("spans of %s", listener).hasSize(3);
            io.micrometer.tracing.test.simple.SpansAssert.assertThat(mine)
                    .hasASpanWithName(topic + " process", span -> span
                            .hasTraceIdEqualTo(B3_TRACE_ID)
                            .hasParentIdEqualTo(B3_PARENT_ID)
                            .hasTag("topic", topic)
                            .hasTagWithKey("messaging.kafka.message.offset")
                            .hasTagWithKey("messaging.kafka.source.partition"));
            FinishedSpan w3c = spanOf(mine, "w3c");
            assertThat(w3c.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(w3c.getParentId()).isEqualTo(PARENT_ID);
            assertThat(w3c.getError()).isNull();
            FinishedSpan retried = spanOf(mine, "fail-once");
            assertThat(retried.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(retried.getEvents()).as("events of the retried record of %s", listener)
                    .anySatisfy(event -> assertThat(event.getValue()).startsWith("attempt 1 failed"));
            assertThat(retried.getError()).as("the retry succeeded").isNull();

            // the span was current while the method ran: its ids in the MDC, beside the record's own fields
            Map<String, String> mdc = SEEN_MDC.get(listener + ":w3c");
            assertThat(mdc).containsEntry("traceId", TRACE_ID).containsEntry("spanId", w3c.getSpanId())
                    .containsEntry("parallelConsumer.listener", listener).containsEntry("kafka.topic", topic)
                    .containsKeys("kafka.partition", "kafka.offset");
        }
        assertThat(ASYNC_DONE_AT_END).hasSize(3).allSatisfy((value, done) -> assertThat(done)
                .as("stage of %s completed before its span ended", value).isTrue());
    }

    private static FinishedSpan spanOf(List<FinishedSpan> spans, String value) {
        String offset = OFFSETS.get(value);
        return spans.stream()
                .filter(span -> offset.equals(span.getTags().get("messaging.kafka.message.offset")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span for " + value + " at offset " + offset + ": " + spans));
    }

    /** The offset each value was written at (one partition per value is enough to tell them apart). */
    static final Map<String, String> OFFSETS = new ConcurrentHashMap<>();

    private void send(String value, String header, String context) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, 0, value, value);
        record.headers().add(header, context.getBytes(StandardCharsets.UTF_8));
        try {
            OFFSETS.put(value, Long.toString(template.send(record).get(30, TimeUnit.SECONDS).getRecordMetadata()
                    .offset()));
        }
        catch (Exception ex) {
            throw new AssertionError("could not send " + value, ex);
        }
    }

    private static void handle(String listener, ConsumerRecord<String, String> record) {
        SEEN_MDC.putIfAbsent(listener + ":" + record.value(), MDC.getCopyOfContextMap());
        if (record.value().equals("fail-once") && ATTEMPTS.merge(listener, 1, Integer::sum) == 1) {
            throw new IllegalStateException("first attempt of " + listener + " fails");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @ParallelListener(id = "platform", topics = "${app.topic}", groupId = "traced-platform")
        void onPlatform(ConsumerRecord<String, String> record) {
            handle("platform", record);
        }

        @ParallelListener(id = "auto", topics = "${app.topic}", groupId = "traced-auto")
        void onAuto(ConsumerRecord<String, String> record) {
            handle("auto", record);
        }

        @ParallelListener(id = "async", topics = "${app.topic}", groupId = "traced-async")
        CompletableFuture<Void> onAsync(ConsumerRecord<String, String> record) {
            handle("async", record);
            AtomicBoolean done = ASYNC_DONE.computeIfAbsent(record.topic() + "@" + record.offset(),
                    key -> new AtomicBoolean());
            return CompletableFuture.runAsync(() -> done.set(true),
                    CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
        }

        /** Collects every finished span, as a reporter would export it. */
        @Bean
        SpanHandler collectingSpanHandler() {
            return new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    if ("async".equals(span.tag("listener"))) {
                        AtomicBoolean done = ASYNC_DONE.get(span.tag("topic") + "@"
                                + span.tag("messaging.kafka.message.offset"));
                        ASYNC_DONE_AT_END.put(span.tag("messaging.kafka.message.offset"),
                                done != null && done.get());
                    }
                    SPANS.add(BraveFinishedSpan.fromBrave(span));
                    return true;
                }
            };
        }
    }
}
