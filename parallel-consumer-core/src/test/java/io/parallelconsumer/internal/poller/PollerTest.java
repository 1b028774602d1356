package io.parallelconsumer.internal.poller;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.FailurePolicy;
import io.parallelconsumer.Ordering;
import io.parallelconsumer.ParallelConsumerOptions;
import io.parallelconsumer.internal.events.ConsumerCounters;
import io.parallelconsumer.internal.poller.PollerFixtures.RecordingConsumer;
import io.parallelconsumer.internal.work.WorkManager;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.parallelconsumer.internal.poller.PollerFixtures.P0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The poller's loop against Kafka's {@code MockConsumer}: what it does with a record that cannot be deserialized,
 * and that it commits and closes when it stops. Nothing runs the records; the tests look at the consumer.
 */
class PollerTest {

    private final RecordingConsumer consumer = new RecordingConsumer();
    private final WorkManager<String, String> work = new WorkManager<>(Ordering.KEY, System::nanoTime, 16);
    private final ConsumerCounters counters = new ConsumerCounters();
    private Thread thread;
    private Poller<String, String> poller;

    @AfterEach
    void stop() throws InterruptedException {
        if (poller != null) {
            poller.requestStop(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void anUndeserializableRecordThatThePolicySkipsIsPassedAndCommitted() throws InterruptedException {
        start(PollerFixtures.builder().failurePolicy(FailurePolicy.logAndSkip()).options());
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> consumer.position(P0) == 1);
        assertThat(counters.read(0).skipped()).isEqualTo(1);

        poller.requestStop(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(poller.failure()).isNull();
        assertThat(consumer.committedOffset(P0)).as("past the skipped record").isEqualTo(1);
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void anUndeserializableRecordThatThePolicyStopsAtStopsTheConsumerWithoutCommittingIt()
            throws InterruptedException {
        start(PollerFixtures.builder().failurePolicy(FailurePolicy.stop()).options());
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(poller.failure()).hasMessage(
                "Failure policy stopped the consumer at undeserializable record orders-0@0");
        assertThat(consumer.committedOffset(P0)).isNull();
        assertThat(consumer.closed()).isTrue();
    }

    private void start(ParallelConsumerOptions<String, String> options) {
        poller = new Poller<>(options, consumer, work, work, counters);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            consumer.updateBeginningOffsets(Map.of(P0, 0L));
            consumer.seek(P0, 0);
            consumer.setPollException(new RecordDeserializationException(
                    RecordDeserializationException.DeserializationExceptionOrigin.VALUE, P0, 0, 0,
                    TimestampType.CREATE_TIME, ByteBuffer.wrap("k".getBytes(StandardCharsets.UTF_8)),
                    ByteBuffer.wrap(new byte[] {(byte) 0xff}), new RecordHeaders(), "not a string",
                    new IllegalArgumentException("bad bytes")));
        });
        thread = new Thread(poller, "poller-test");
        thread.start();
    }
}
