package io.parallelconsumer.internal.poller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.Ordering;
import io.parallelconsumer.internal.events.ConsumerCounters;
import io.parallelconsumer.internal.poller.PollerFixtures.RecordingConsumer;
import io.parallelconsumer.internal.work.WorkItem;
import io.parallelconsumer.internal.work.WorkManager;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.parallelconsumer.internal.poller.PollerFixtures.P0;
import static io.parallelconsumer.internal.poller.PollerFixtures.P1;
import static io.parallelconsumer.internal.poller.PollerFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;

/** What the offset committer sends and when, against Kafka's {@code MockConsumer}. */
class OffsetCommitterTest {

    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(1);

    private final RecordingConsumer consumer = new RecordingConsumer();
    private final WorkManager<String, String> work = new WorkManager<>(Ordering.KEY, System::nanoTime, 16);
    private final ConsumerCounters counters = new ConsumerCounters();
    private OffsetCommitter<String, String> committer;

    @BeforeEach
    void setUp() {
        consumer.assign(List.of(P0, P1));
        work.assign(P0);
        work.assign(P1);
        committer = new OffsetCommitter<>(consumer, work, counters, ConsumerObserver.NONE, Duration.ofNanos(INTERVAL),
                true, 0);
    }

    @Test
    void commitsTheLowestIncompleteOffsetWithTheDoneOnesAboveItInTheMetadata() {
        work.add(P0, records(P0, 0, 4));
        List<WorkItem<String, String>> taken = takeAll();
        work.complete(taken.get(0));
        work.complete(taken.get(2));
        work.complete(taken.get(3));

        assertThat(committer.commitSync(null, Duration.ofSeconds(1))).isTrue();

        OffsetAndMetadata committed = consumer.commits.get(P0);
        assertThat(committed.offset()).isEqualTo(1);
        assertThat(committed.metadata()).as("offsets 2 and 3 are done").isNotEmpty();
        assertThat(consumer.commits.get(P1)).as("nothing fetched from it").isNull();
        assertThat(work.partitionSnapshots(java.time.Instant.now())).filteredOn(p -> p.partition() == 0)
                .singleElement().satisfies(p -> assertThat(p.committedOffset()).isEqualTo(1));
    }

    @Test
    void commitsAtTheIntervalAndOnlyWhatChanged() {
        work.add(P0, records(P0, 0, 2));
        takeAll().forEach(work::complete);

        committer.maybeCommit(INTERVAL - 1);
        assertThat(consumer.commitCount.get()).as("before the interval").isZero();
        committer.maybeCommit(INTERVAL);
        assertThat(consumer.commitCount.get()).isEqualTo(1);
        assertThat(consumer.committedOffset(P0)).isEqualTo(2);

        committer.maybeCommit(2 * INTERVAL);
        assertThat(consumer.commitCount.get()).as("nothing changed since").isEqualTo(1);
        work.add(P0, records(P0, 2, 1));
        takeAll().forEach(work::complete);
        committer.maybeCommit(3 * INTERVAL);
        assertThat(consumer.commitCount.get()).isEqualTo(2);
        assertThat(counters.read(0).commitsSucceeded()).isEqualTo(2);
    }

    @Test
    void aFailedCommitIsSentAgainNextTime() {
        work.add(P0, records(P0, 0, 1));
        takeAll().forEach(work::complete);
        consumer.failNextCommit = true;

        assertThat(committer.commitSync(null, Duration.ofSeconds(1))).isFalse();
        assertThat(committer.commitSync(null, Duration.ofSeconds(1))).as("the same offsets, again").isTrue();
        assertThat(consumer.committedOffset(P0)).isEqualTo(1);
        assertThat(counters.read(0).commitsFailed()).isEqualTo(1);
    }

    @Test
    void aForgottenPartitionCommitsAfreshInItsNextEpoch() {
        work.add(P0, records(P0, 0, 1));
        takeAll().forEach(work::complete);
        committer.commitSync(null, Duration.ofSeconds(1));
        work.revoke(List.of(P0));
        committer.forget(List.of(P0));
        work.assign(P0);
        work.fetchPosition(P0, 1, -1); // the new epoch resumes where the last one committed
        int before = consumer.commitCount.get();
        committer.commitSync(null, Duration.ofSeconds(1));
        assertThat(consumer.commitCount.get()).as("sent again: the new owner's epoch").isEqualTo(before + 1);
    }

    private List<WorkItem<String, String>> takeAll() {
        List<WorkItem<String, String>> taken = new ArrayList<>();
        for (WorkItem<String, String> item; (item = work.poll()) != null; ) {
            taken.add(item);
        }
        return taken;
    }
}
