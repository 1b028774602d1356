package io.parallelconsumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.parallelconsumer.internal.engine.VirtualThreads;
import io.parallelconsumer.testing.ConsumerRuns;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * On every engine each record's trace starts once, is current on the thread of every attempt while the handler
 * runs and on no thread after, hears of each retry, and ends once - an async handler's only after its stage
 * completed on another thread, a record given up on with its failure, after the failure policy.
 */
class RecordTracingIT {

    private static final int RECORDS = 300;
    /** The one record that fails on every attempt and goes to the failure policy. */
    private static final String POISON = "k5:2";

    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor();

    @AfterAll
    static void stopLater() {
        LATER.shutdownNow();
    }

    @Test
    void platformThreads() {
        check("trace-platform", builder -> builder.engine(EngineType.PLATFORM), false);
    }

    @Test
    @Tag("virtual-threads")
    void virtualThreads() {
        assumeThat(VirtualThreads.available()).as("virtual threads need Java 21+").isTrue();
        check("trace-virtual", builder -> builder.engine(EngineType.VIRTUAL), false);
    }

    @Test
    void asyncHandlersWhoseStagesCompleteLater() {
        check("trace-async", null, true);
    }

    /** Records whose first attempt fails: every seventh, by value. */
    private static boolean failsOnce(String value) {
        return Math.floorMod(value.hashCode(), 7) == 0;
    }

    private void check(String name, UnaryOperator<ParallelConsumerBuilder<String, String>> engine, boolean async) {
        String topic = TestBroker.createTopic(name, 3);
        TestBroker.produceSequenced(topic, RECORDS, 20);
        Recording tracing = new Recording();
        List<String> skipped = new CopyOnWriteArrayList<>();
        ParallelConsumerBuilder<String, String> builder = ParallelConsumer.<String, String>builder()
                .name(name)
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .ordering(Ordering.KEY)
                .concurrency(16)
                .maxAttempts(2)
                .backoff(Backoff.fixed(Duration.ofMillis(20)))
                .failurePolicy(failed -> {
                    // the trace is still open while the policy decides
                    skipped.add(failed.record().value() + (tracing.ended(failed.record().value()) ? " ended" : ""));
                    return FailureAction.SKIP;
                })
                .tracing(tracing)
                .observer(new ConsumerObserver() {
                    @Override
                    public void attemptEnded(ConsumerRecord<?, ?> record, AttemptResult result, long durationNanos) {
                        // on the thread that reports the attempt, after the handler returned
                        Told current = Recording.CURRENT.get();
                        if (current != null) {
                            tracing.wrong.add("still current after an attempt of " + record.value() + ": "
                                    + current.value);
                        }
                    }
                });
        if (async) {
            builder.asyncHandler(record -> {
                tracing.expectCurrent(record);
                CompletableFuture<Void> stage = new CompletableFuture<>();
                LATER.schedule(() -> {
                    tracing.trace(record).stageCompleted = true;
                    if (fails(record, tracing)) {
                        stage.completeExceptionally(new IllegalStateException("failed " + record.value()));
                    }
                    else {
                        stage.complete(null);
                    }
                }, 2, TimeUnit.MILLISECONDS);
                return stage;
            });
        }
        else {
            engine.apply(builder).handler(record -> {
                tracing.expectCurrent(record);
                if (fails(record, tracing)) {
                    throw new IllegalStateException("failed " + record.value());
                }
            });
        }
        ConsumerRuns.runUntil(builder.build(), () -> tracing.endCount() >= RECORDS);

        assertThat(tracing.wrong).isEmpty();
        assertThat(tracing.traces).hasSize(RECORDS);
        assertThat(skipped).containsExactly(POISON);
        List<String> retried = new ArrayList<>();
        tracing.traces.forEach((value, trace) -> {
            assertThat(trace.starts).as("starts of %s", value).isEqualTo(1);
            assertThat(trace.ends).as("ends of %s", value).containsExactly(
                    value.equals(POISON) ? "failed " + POISON : "done");
            int attempts = value.equals(POISON) || failsOnce(value) ? 2 : 1;
            assertThat(trace.opens).as("attempts of %s", value).isEqualTo(attempts);
            assertThat(trace.closes).as("scopes closed of %s", value).isEqualTo(attempts);
            assertThat(trace.retries).as("retries of %s", value).containsExactlyElementsOf(
                    attempts == 2 ? List.of("1: failed " + value) : List.of());
            if (async) {
                assertThat(trace.stageCompletedAtEnd).as("stage of %s completed before the end", value).isTrue();
            }
            if (attempts == 2) {
                retried.add(value);
            }
        });
        assertThat(retried).as("the test fails some records once").hasSizeGreaterThan(10);
    }

    private static boolean fails(ConsumerRecord<String, String> record, Recording tracing) {
        String value = record.value();
        return value.equals(POISON) || (failsOnce(value) && tracing.trace(record).opens == 1);
    }

    /** What one record's trace was told. */
    private static final class Told {
        final String value;
        volatile int starts;
        volatile int opens;
        volatile int closes;
        volatile boolean stageCompleted;
        volatile boolean stageCompletedAtEnd;
        final List<String> retries = new CopyOnWriteArrayList<>();
        final List<String> ends = new CopyOnWriteArrayList<>();

        Told(String value) {
            this.value = value;
        }
    }

    /** A tracing layer that records what it is told, and which trace is current on each thread. */
    private static final class Recording implements RecordTracing {

        static final ThreadLocal<Told> CURRENT = new ThreadLocal<>();

        final Map<String, Told> traces = new ConcurrentHashMap<>();
        final List<String> wrong = new CopyOnWriteArrayList<>();

        Told trace(ConsumerRecord<?, ?> record) {
            return traces.get((String) record.value());
        }

        boolean ended(String value) {
            return !traces.get(value).ends.isEmpty();
        }

        long endCount() {
            return traces.values().stream().mapToLong(trace -> trace.ends.size()).sum();
        }

        void expectCurrent(ConsumerRecord<String, String> record) {
            Told current = CURRENT.get();
            if (current == null || !current.value.equals(record.value())) {
                wrong.add("handler of " + record.value() + " sees " + (current == null ? "no trace" : current.value));
            }
        }

        @Override
        public RecordTracing.Trace start(ConsumerRecord<?, ?> record) {
            Told trace = traces.computeIfAbsent((String) record.value(), Told::new);
            trace.starts++;
            return new RecordTracing.Trace() {
                @Override
                public Scope open() {
                    if (CURRENT.get() != null) {
                        wrong.add("opened " + trace.value + " over " + CURRENT.get().value);
                    }
                    trace.opens++;
                    CURRENT.set(trace);
                    Thread opener = Thread.currentThread();
                    return () -> {
                        if (Thread.currentThread() != opener) {
                            wrong.add("scope of " + trace.value + " closed on another thread");
                        }
                        trace.closes++;
                        CURRENT.remove();
                    };
                }

                @Override
                public void retrying(int failedAttempts, Throwable failure) {
                    trace.retries.add(failedAttempts + ": " + failure.getMessage());
                }

                @Override
                public void end(Throwable failure) {
                    trace.stageCompletedAtEnd = trace.stageCompleted;
                    trace.ends.add(failure == null ? "done" : failure.getMessage());
                }
            };
        }
    }
}
