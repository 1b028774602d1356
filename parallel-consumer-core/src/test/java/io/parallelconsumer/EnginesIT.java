package io.parallelconsumer;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.parallelconsumer.internal.engine.VirtualThreads;
import io.parallelconsumer.testing.ConsumerRuns;
import io.parallelconsumer.testing.ProcessingLog;
import io.parallelconsumer.testing.TestBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Every engine keeps key order and delivers every record, on a real broker. */
class EnginesIT {

    private static final int RECORDS = 5000;

    private void runAndCheck(String engineName, java.util.function.Function<ProcessingLog,
            ParallelConsumerBuilder<String, String>> withHandler) {
        runAndCheck(engineName, withHandler, maxRunning -> assertThat(maxRunning).isGreaterThan(4));
    }

    private void runAndCheck(String engineName, java.util.function.Function<ProcessingLog,
            ParallelConsumerBuilder<String, String>> withHandler, java.util.function.IntConsumer checkMaxRunning) {
        String topic = TestBroker.createTopic("engine-" + engineName, 4);
        Map<String, Integer> expected = TestBroker.produceSequenced(topic, RECORDS, 200);
        ProcessingLog log = new ProcessingLog();
        ParallelConsumer<String, String> consumer = withHandler.apply(log)
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .ordering(Ordering.KEY)
                .concurrency(64)
                .build();
        ConsumerRuns.runUntil(consumer, () -> log.processed() >= RECORDS);
        assertThat(log.exactOrderViolations(expected)).isEmpty();
        checkMaxRunning.accept(log.maxRunning());
        assertThat(TestBroker.committedTotal(consumer.options().groupId(), topic, 4)).isEqualTo(RECORDS);
    }

    @Test
    void platformThreads() {
        runAndCheck("platform", log -> ParallelConsumer.<String, String>builder()
                .engine(EngineType.PLATFORM)
                .handler(record -> log.process(record, () -> LockSupport.parkNanos(500_000))));
    }

    @Test
    void asyncHandlersHoldNoThread() {
        Executor later = CompletableFuture.delayedExecutor(500, TimeUnit.MICROSECONDS);
        runAndCheck("async", log -> ParallelConsumer.<String, String>builder()
                .asyncHandler(record -> {
                    log.begin(record);
                    return CompletableFuture.runAsync(() -> log.end(record), later);
                }));
    }

    @Test
    void asyncHandlersThatCompleteAtOnceRunOnTheDispatcher() {
        runAndCheck("async-done", log -> ParallelConsumer.<String, String>builder()
                .asyncHandler(record -> {
                    log.process(record, () -> { });
                    return CompletableFuture.completedFuture(null);
                }), maxRunning -> assertThat(maxRunning).as("one after the other on the dispatcher").isEqualTo(1));
    }

    /** Runs on a JDK with virtual threads: the build runs this class a second time on one (see the pom). */
    @Test
    @Tag("virtual-threads")
    void virtualThreads() {
        assumeThat(VirtualThreads.available()).as("needs Java 21+; run by the virtual-threads execution").isTrue();
        runAndCheck("virtual", log -> ParallelConsumer.<String, String>builder()
                .engine(EngineType.VIRTUAL)
                .handler(record -> log.process(record, () -> LockSupport.parkNanos(500_000))));
    }
}
