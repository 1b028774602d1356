package io.parallelconsumer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Closing: bounded by its timeout even when a handler will not stop, and never committing past unfinished work. */
class ShutdownIT {

    @Test
    void aHandlerIgnoringInterruptionCannotHangClose() {
        String topic = TestBroker.createTopic("shutdown", 1);
        TestBroker.produceSequenced(topic, 100, 1);
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch stuck = new CountDownLatch(1);
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .concurrency(4)
                .handler(record -> {
                    if (record.offset() == 10) {
                        stuck.countDown();
                        while (!release.get()) {
                            Thread.onSpinWait(); // ignores interruption on purpose
                        }
                    }
                })
                .build();
        try {
            consumer.start();
            await().atMost(Duration.ofMinutes(1)).until(() -> stuck.getCount() == 0);

            // A guard against hanging, not a speed check: close must come back on its own.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> consumer.close(Duration.ofSeconds(2)));
            assertThat(consumer.state()).isEqualTo(ConsumerState.STOPPED);
            TopicPartition tp = new TopicPartition(topic, 0);
            assertThat(TestBroker.committedOffsets(consumer.options().groupId(), List.of(tp)).get(tp))
                    .as("never past the unfinished record").isEqualTo(10);
        }
        finally {
            release.set(true);
        }
    }

    @Test
    void aConsumerStartsOnceAndClosesIdempotently() {
        String topic = TestBroker.createTopic("lifecycle", 1);
        ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
                .consumerProperties(TestBroker.consumerProperties(TestBroker.uniqueName("g")))
                .topics(topic)
                .handler(record -> { })
                .build();
        assertThat(consumer.state()).isEqualTo(ConsumerState.CREATED);
        consumer.start();
        assertThatIllegalStateException().isThrownBy(consumer::start).withMessageContaining("already started");
        consumer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
        assertThat(consumer.state()).isEqualTo(ConsumerState.STOPPED);
        assertThat(consumer.termination().toCompletableFuture()).isCompletedWithValue(ConsumerState.STOPPED);
    }
}
