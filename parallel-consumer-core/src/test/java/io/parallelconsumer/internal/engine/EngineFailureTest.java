package io.parallelconsumer.internal.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.internal.work.WorkItem;
import io.parallelconsumer.internal.work.WorkManager;
import io.parallelconsumer.internal.work.WorkSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A fault outside the handler - in the consumer's own bookkeeping - must stop the consumer, not end an engine
 * thread silently and leave its records blocking their keys and the commit.
 */
class EngineFailureTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    /** Hands out one real record, and fails when its end is reported. */
    private static final class FailingSource implements WorkSource<String, String> {

        private final WorkManager<String, String> work = new WorkManager<>(Ordering.KEY, System::nanoTime, 0);
        final CompletableFuture<Throwable> failed = new CompletableFuture<>();

        FailingSource() {
            work.assign(TP);
            work.add(TP, List.of(new ConsumerRecord<>("t", 0, 0, "k", "v")));
        }

        @Override
        public WorkItem<String, String> take() throws InterruptedException {
            return work.take();
        }

        @Override
        public void completed(WorkItem<String, String> item, Throwable failure) {
            throw new IllegalStateException("bookkeeping fault");
        }

        @Override
        public WorkItem<String, String> completedAndPoll(WorkItem<String, String> item, Throwable failure) {
            throw new IllegalStateException("bookkeeping fault");
        }

        @Override
        public void engineFailed(Throwable error) {
            failed.complete(error);
            work.stopDispatching();
        }
    }

    @Test
    void aPlatformThreadReportsAFaultOutsideTheHandler() throws Exception {
        FailingSource source = new FailingSource();
        PlatformThreadEngine<String, String> engine = new PlatformThreadEngine<>(record -> { }, 1, "fault-");
        engine.start(source);

        await().atMost(Duration.ofSeconds(30)).until(source.failed::isDone);
        assertThat(source.failed.get()).hasMessage("bookkeeping fault");
        assertThat(engine.awaitTermination(Duration.ofSeconds(30))).isTrue();
    }

    /** Runs on a JDK with virtual threads: the build runs tagged tests a second time on one (see the pom). */
    @Test
    @Tag("virtual-threads")
    void aVirtualThreadReportsAFaultOutsideTheHandlerAndFreesItsPermit() throws Exception {
        assumeThat(VirtualThreads.available()).as("needs Java 21+; run by the virtual-threads execution").isTrue();
        FailingSource source = new FailingSource();
        VirtualThreadEngine<String, String> engine = new VirtualThreadEngine<>(record -> { }, 1, "fault-");
        engine.start(source);

        await().atMost(Duration.ofSeconds(30)).until(source.failed::isDone);
        assertThat(source.failed.get()).hasMessage("bookkeeping fault");
        assertThat(engine.awaitTermination(Duration.ofSeconds(30))).as("the permit came back").isTrue();
    }

    @Test
    void anAsyncCompletionReportsAFaultOutsideTheHandlerAndFreesItsPermit() throws Exception {
        FailingSource source = new FailingSource();
        AsyncEngine<String, String> engine = new AsyncEngine<>(
                record -> CompletableFuture.supplyAsync(() -> "done"), 1, "fault-");
        engine.start(source);

        await().atMost(Duration.ofSeconds(30)).until(source.failed::isDone);
        assertThat(source.failed.get()).hasMessage("bookkeeping fault");
        assertThat(engine.awaitTermination(Duration.ofSeconds(30))).as("the permit came back").isTrue();
    }
}
