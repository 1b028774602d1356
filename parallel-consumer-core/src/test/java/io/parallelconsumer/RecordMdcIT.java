package io.parallelconsumer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.parallelconsumer.internal.engine.VirtualThreads;
import io.parallelconsumer.testing.ConsumerRuns;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** On every engine the handler sees its record in the MDC, and nothing of it is left once the handler returned. */
class RecordMdcIT {

    private static final int RECORDS = 300;
    private static final Set<String> KEYS = Set.of("parallelConsumer.listener", "kafka.topic", "kafka.partition",
            "kafka.offset");

    @Test
    void platformThreads() {
        check("mdc-platform", builder -> builder.engine(EngineType.PLATFORM));
    }

    @Test
    @Tag("virtual-threads")
    void virtualThreads() {
        assumeThat(VirtualThreads.available()).as("virtual threads need Java 21+").isTrue();
        check("mdc-virtual", builder -> builder.engine(EngineType.VIRTUAL));
    }

    @Test
    void asyncHandlersWhereTheyStart() {
        check("mdc-async", null);
    }

    private void check(String name, UnaryOperator<ParallelConsumerBuilder<String, String>> engine) {
        String topic = TestBroker.createTopic(name, 3);
        TestBroker.produceSequenced(topic, RECORDS, 20);
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger checkedAfter = new AtomicInteger();
        ParallelConsumerBuilder<String, String> builder = ParallelConsumer.<String, String>builder()
                .name(name)
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .ordering(Ordering.KEY)
                .concurrency(16)
                .observer(new ConsumerObserver() {
                    @Override
                    public void attemptEnded(ConsumerRecord<?, ?> record, AttemptResult result, long durationNanos) {
                        // On the worker, after the handler returned.
                        Map<String, String> left = MDC.getCopyOfContextMap();
                        if (left != null && left.keySet().stream().anyMatch(KEYS::contains)) {
                            wrong.add("left after " + record.offset() + ": " + left);
                        }
                        checkedAfter.incrementAndGet();
                    }
                });
        if (engine == null) {
            builder.asyncHandler(record -> {
                expect(name, record, wrong);
                handled.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            });
        }
        else {
            engine.apply(builder).handler(record -> {
                expect(name, record, wrong);
                handled.incrementAndGet();
            });
        }
        ConsumerRuns.runUntil(builder.build(), () -> handled.get() >= RECORDS && checkedAfter.get() >= RECORDS);

        assertThat(wrong).isEmpty();
    }

    private static void expect(String name, ConsumerRecord<String, String> record, List<String> wrong) {
        Map<String, String> expected = Map.of("parallelConsumer.listener", name, "kafka.topic", record.topic(),
                "kafka.partition", Integer.toString(record.partition()), "kafka.offset",
                Long.toString(record.offset()));
        Map<String, String> seen = MDC.getCopyOfContextMap();
        if (seen == null || !seen.entrySet().containsAll(expected.entrySet())) {
            wrong.add("in handler of " + record.offset() + ": " + seen);
        }
        if (seen != null && seen.containsValue(record.key())) {
            wrong.add("the key is in the MDC: " + seen);
        }
    }
}
