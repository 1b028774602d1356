package io.parallelconsumer.internal.poller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.Ordering;
import io.parallelconsumer.ParallelConsumerOptions;
import io.parallelconsumer.internal.events.ConsumerCounters;
import io.parallelconsumer.internal.offset.CompletedOffsets;
import io.parallelconsumer.internal.poller.PollerFixtures.RecordingConsumer;
import io.parallelconsumer.internal.work.WorkItem;
import io.parallelconsumer.internal.work.WorkManager;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.parallelconsumer.internal.poller.PollerFixtures.P0;
import static io.parallelconsumer.internal.poller.PollerFixtures.P1;
import static io.parallelconsumer.internal.poller.PollerFixtures.TOPIC;
import static io.parallelconsumer.internal.poller.PollerFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The hand-over of partitions in a rebalance, driven by Kafka's {@code MockConsumer}. */
class RebalanceListenerTest {

    private final RecordingConsumer consumer = new RecordingConsumer();
    private final WorkManager<String, String> work = new WorkManager<>(Ordering.KEY, System::nanoTime, 16);
    private final FakeHost host = new FakeHost();
    private RebalanceListener<String, String> listener;

    @BeforeEach
    void setUp() {
        ParallelConsumerOptions<String, String> options = PollerFixtures.options();
        OffsetCommitter<String, String> committer = new OffsetCommitter<>(consumer, work, new ConsumerCounters(),
                ConsumerObserver.NONE, Duration.ofSeconds(1), true, System.nanoTime());
        listener = new RebalanceListener<>(options, consumer, work, committer, host);
        consumer.subscribe(List.of(TOPIC), listener);
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    }

    @Test
    void assignedPartitionsStartAnEpochAndStartPausedWhenTheConsumerIsFull() {
        host.full = true;
        consumer.rebalance(List.of(P0, P1));
        assertThat(work.epoch(P0)).isEqualTo(1);
        assertThat(work.epoch(P1)).isEqualTo(1);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
        assertThat(host.pausedSome).isTrue();

        consumer.resume(List.of(P0, P1)); // the mock keeps its pauses across rebalances; a real consumer does not
        consumer.rebalance(List.of());
        host.full = false;
        host.pausedSome = false;
        consumer.rebalance(List.of(P0));
        assertThat(work.epoch(P0)).as("a new assignment is a new epoch").isEqualTo(2);
        assertThat(consumer.paused()).isEmpty();
        assertThat(host.pausedSome).isFalse();
    }

    @Test
    void aRevokedPartitionCommitsWhatIsDoneAndIsFenced() {
        consumer.rebalance(List.of(P0));
        work.add(P0, records(P0, 0, 3));
        List<WorkItem<String, String>> taken = new ArrayList<>();
        for (WorkItem<String, String> item; (item = work.poll()) != null; ) {
            taken.add(item);
        }
        assertThat(taken).hasSize(3);
        work.complete(taken.get(0));
        work.complete(taken.get(2)); // offset 1 still runs, past the revoke timeout

        consumer.rebalance(List.of(P1));

        assertThat(consumer.committedOffset(P0)).as("the lowest offset not done").isEqualTo(1);
        assertThat(host.forgotten).containsExactly(P0);
        assertThat(work.epoch(P0)).as("fenced").isEqualTo(-1);
        work.complete(taken.get(1)); // a late result of the revoked epoch: dropped, never committed
        assertThat(work.commitPositions(null, false)).doesNotContainKey(P0);
    }

    @Test
    void aRevocationWaitsForWhatWasFetchedToFinish() throws Exception {
        consumer.rebalance(List.of(P0));
        work.add(P0, records(P0, 0, 1));
        WorkItem<String, String> running = work.poll();
        Thread revoking = Thread.currentThread();
        Thread finisher = new Thread(() -> {
            // the record ends only once the revocation waits for it
            await().atMost(Duration.ofSeconds(10)).until(() -> revoking.getState() == Thread.State.TIMED_WAITING);
            work.complete(running);
        });
        host.revokeTimeout = Duration.ofSeconds(30);
        finisher.start();
        consumer.rebalance(List.of());
        finisher.join();
        assertThat(consumer.committedOffset(P0)).isEqualTo(1);
    }

    @Test
    void aLostPartitionIsFencedWithoutACommit() {
        consumer.rebalance(List.of(P0));
        work.add(P0, records(P0, 0, 2));
        work.complete(work.poll());
        listener.onPartitionsLost(List.of(P0));
        assertThat(consumer.committedOffset(P0)).as("someone else may own it").isNull();
        assertThat(host.forgotten).containsExactly(P0);
        assertThat(work.epoch(P0)).isEqualTo(-1);
    }

    @Test
    void theNextOwnerSkipsWhatThePreviousOneHadDone() {
        String metadata = CompletedOffsets.encode(new long[] {5, 6, 9}, 3, 9); // 7 and 8 done
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(5, metadata)));
        consumer.rebalance(List.of(P0));
        work.add(P0, records(P0, 5, 5));
        assertThat(work.totals().alreadyDone()).as("offsets 7 and 8").isEqualTo(2);
        assertThat(work.totals().incomplete()).isEqualTo(3);
    }

    private static final class FakeHost implements RebalanceListener.Host {

        boolean full;
        boolean pausedSome;
        Duration revokeTimeout = Duration.ofMillis(200);
        final List<TopicPartition> forgotten = new ArrayList<>();

        @Override
        public boolean pausesNewPartitions() {
            return full;
        }

        @Override
        public void pausedSome() {
            pausedSome = true;
        }

        @Override
        public long revokeDeadline(long nowNanos) {
            return nowNanos + revokeTimeout.toNanos();
        }

        @Override
        public void forgotten(Collection<TopicPartition> partitions) {
            forgotten.addAll(partitions);
        }
    }
}
