package io.parallelconsumer.internal.poller;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.FailedRecord;
import io.parallelconsumer.FailureAction;
import io.parallelconsumer.ParallelConsumerException;
import io.parallelconsumer.ParallelConsumerOptions;
import io.parallelconsumer.internal.events.ConsumerCounters;
import io.parallelconsumer.internal.offset.CompletedOffsets;
import io.parallelconsumer.internal.work.CommittableWork;
import io.parallelconsumer.internal.work.FetchedWork;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the Kafka consumer: it polls, hands records to the work manager, pauses and resumes
 * partitions for backpressure, commits, and handles rebalances. It keeps polling while partitions are paused, so
 * the group membership never times out however slow the handler is. On stop it drains running records (up to the
 * deadline), commits and closes the consumer.
 */
public final class Poller<K, V> implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Poller.class);

    /** Poll timeout while anything is paused, so that resuming follows completions closely. */
    private static final Duration PAUSED_POLL_TIMEOUT = Duration.ofMillis(10);
    private static final Duration MAX_COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final long LOG_END_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Longest wait for the log ends of paused partitions; the broker answers in about a round trip. */
    private static final Duration LOG_END_TIMEOUT = Duration.ofMillis(200);

    private final ParallelConsumerOptions<K, V> options;
    private final Consumer<K, V> consumer;
    private final FetchedWork<K, V> work;
    private final ConsumerCounters counters;
    private final Backpressure backpressure;
    /**
     * Records left to fetch per assigned partition as of its last fetch, for {@link Backpressure#update}; a
     * partition leaves it when revoked or lost.
     */
    private final Map<TopicPartition, Long> leftToFetch = new HashMap<>();
    private final OffsetCommitter<K, V> committer;
    private final Duration pausedPollTimeout;
    private final ConnectionWatch connection;

    private volatile boolean stopRequested;
    private volatile long stopDeadlineNanos;
    private volatile boolean applicationPaused;
    private volatile Throwable failure;
    /**
     * Whether a partition was left paused by the last look at backpressure (for it or for the application's pause),
     * or paused since by the rebalance listener: then the next look must not be skipped.
     */
    private boolean anyPaused;
    private long nextLogEndRefreshNanos;

    /**
     * @param work where fetched records go
     * @param commits what may be committed; the same work manager as {@code work}, seen in its committer's role
     */
    public Poller(ParallelConsumerOptions<K, V> options, Consumer<K, V> consumer, FetchedWork<K, V> work,
            CommittableWork commits, ConsumerCounters counters) {
        this.options = options;
        this.consumer = consumer;
        this.work = work;
        this.counters = counters;
        this.backpressure = new Backpressure(options.maxInFlight(), options.resumeRatio());
        this.committer = new OffsetCommitter<>(consumer, commits, counters, options.observer(),
                options.commitInterval(), options.commitMetadata(), System.nanoTime());
        this.connection = new ConnectionWatch(consumer, System.nanoTime());
        this.pausedPollTimeout = options.pollTimeout().compareTo(PAUSED_POLL_TIMEOUT) < 0 ? options.pollTimeout()
                : PAUSED_POLL_TIMEOUT;
    }

    /**
     * Asks the poller to stop: drain, commit and close by the deadline. The earliest deadline asked for wins.
     * Callable from any thread.
     */
    public synchronized void requestStop(long deadlineNanos) {
        if (!stopRequested || deadlineNanos - stopDeadlineNanos < 0) {
            stopDeadlineNanos = deadlineNanos;
        }
        stopRequested = true;
    }

    /** Stops the consumer because of an error; the first error is kept. Callable from any thread. */
    public void fail(Throwable error) {
        synchronized (this) {
            if (failure == null) {
                failure = error;
            }
        }
        requestStop(System.nanoTime() + options.shutdownTimeout().toNanos());
    }

    /** The error that stopped the consumer, or {@code null}. */
    public Throwable failure() {
        return failure;
    }

    public void applicationPaused(boolean paused) {
        this.applicationPaused = paused;
    }

    public boolean applicationPaused() {
        return applicationPaused;
    }

    /** Since when the consumer has had no exchange with any broker, or {@code null} while it has. */
    public Instant unreachableSince() {
        return connection.unreachableSince();
    }

    @Override
    public void run() {
        try {
            subscribe();
            while (!stopRequested) {
                pollOnce();
            }
        }
        catch (Throwable ex) {
            log.error("Parallel consumer {} failed; stopping", options.name(), ex);
            fail(ex);
        }
        finally {
            shutdown();
        }
    }

    private void subscribe() {
        ConsumerRebalanceListener listener = new RebalanceListener();
        if (options.topicPattern() != null) {
            consumer.subscribe(options.topicPattern(), listener);
        }
        else {
            consumer.subscribe(options.topics(), listener);
        }
        log.info("Parallel consumer {} subscribed to {} (ordering {}, concurrency {}, max in flight {})",
                options.name(), options.topicPattern() != null ? options.topicPattern() : options.topics(),
                options.ordering(), options.concurrency(), options.maxInFlight());
    }

    private void pollOnce() {
        ConsumerRecords<K, V> records;
        int wakeMark = backpressure.wakeMark();
        boolean awaitingMark = wakeMark >= 0;
        try {
            if (awaitingMark) {
                // Paused partitions wait for completions: let the worker that brings the total down to where one
                // may resume cut the wait short.
                work.onIncompleteAtMost(wakeMark, consumer::wakeup);
            }
            records = consumer.poll(anyPaused ? pausedPollTimeout : options.pollTimeout());
        }
        catch (RecordDeserializationException ex) {
            onDeserializationFailure(ex);
            return;
        }
        catch (WakeupException ex) {
            records = ConsumerRecords.empty();
        }
        finally {
            if (awaitingMark) {
                work.onIncompleteAtMost(0, null);
            }
        }
        for (TopicPartition tp : records.partitions()) {
            work.add(tp, records.records(tp));
        }
        // Only once every record is queued: reading a position can block, and a wake-up cuts it short.
        try {
            for (TopicPartition tp : records.partitions()) {
                long position = consumer.position(tp);
                OptionalLong lag = consumer.currentLag(tp);
                work.fetchPosition(tp, position, lag.isPresent() ? position + lag.getAsLong() : -1);
                if (lag.isPresent()) {
                    leftToFetch.put(tp, lag.getAsLong());
                }
            }
        }
        catch (WakeupException ex) {
            // A wake-up raced past the end of the poll; the positions are read again next time.
        }
        work.nudge();
        applyBackpressure();
        long now = System.nanoTime();
        committer.maybeCommit(now);
        connection.check(now);
        refreshPausedLogEnds(now);
    }

    /**
     * A paused partition is not fetched, so no fetch response tells its log end, and its lag would freeze exactly
     * when it matters (a paused listener, a full consumer). Once a second while anything is paused, one
     * {@code ListOffsets} request reads the log ends of the paused partitions; it waits at most
     * {@link #LOG_END_TIMEOUT}, and a late or failed answer only leaves the previous value.
     */
    private void refreshPausedLogEnds(long now) {
        if (!anyPaused || now - nextLogEndRefreshNanos < 0) {
            return;
        }
        nextLogEndRefreshNanos = now + LOG_END_REFRESH_NANOS;
        Set<TopicPartition> paused = consumer.paused();
        if (paused.isEmpty()) {
            return;
        }
        try {
            consumer.endOffsets(paused, LOG_END_TIMEOUT).forEach((tp, end) -> {
                if (end != null) {
                    work.logEndOffset(tp, end);
                }
            });
        }
        catch (WakeupException ex) {
            // a worker asked the poller to resume partitions: that comes first, the log ends next time
        }
        catch (KafkaException ex) {
            log.debug("Parallel consumer {}: could not read the log-end offsets of paused {} ({})", options.name(),
                    paused, ex.toString());
        }
    }

    private void applyBackpressure() {
        if (!anyPaused && !applicationPaused && backpressure.calmAt(work.incomplete())) {
            // Nothing to pause or resume: counting per partition and reading the consumer's pause state took 4 % of
            // the poller's time in a profiled drain of fast records, where nothing is paused most of the time.
            return;
        }
        Map<TopicPartition, Integer> counts = work.incompleteByPartition();
        int total = 0;
        for (int count : counts.values()) {
            total += count;
        }
        for (int i = backpressure.update(total, counts, leftToFetch); i > 0; i--) {
            counters.backpressurePause();
            options.observer().backpressurePaused();
        }
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> toPause = new ArrayList<>();
        List<TopicPartition> toResume = new ArrayList<>();
        Set<TopicPartition> wanted = new HashSet<>();
        boolean pauseAll = applicationPaused;
        for (TopicPartition tp : consumer.assignment()) {
            boolean pause = pauseAll || backpressure.shouldPause(tp);
            if (pause) {
                wanted.add(tp);
                if (!paused.contains(tp)) {
                    toPause.add(tp);
                }
            }
            else if (paused.contains(tp)) {
                toResume.add(tp);
            }
        }
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
            log.debug("Paused {} (in flight {}, max {})", toPause, total, options.maxInFlight());
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
            log.debug("Resumed {} (in flight {})", toResume, total);
        }
        work.markPaused(wanted);
        anyPaused = !wanted.isEmpty();
    }

    private void onDeserializationFailure(RecordDeserializationException ex) {
        TopicPartition tp = ex.topicPartition();
        long offset = ex.offset();
        Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
        FailedRecord<K, V> failed = new FailedRecord<>(FailedRecord.Kind.DESERIALIZATION_FAILED, tp.topic(),
                tp.partition(), offset, null, readOnly(ex.keyBuffer()), readOnly(ex.valueBuffer()), 0, cause);
        FailureAction action;
        options.observer().recordFailed(failed);
        try {
            action = options.failurePolicy().onFailure(failed);
        }
        catch (RuntimeException policyFailure) {
            policyFailure.addSuppressed(cause);
            throw new ParallelConsumerException("Failure policy threw for undeserializable record " + tp + "@"
                    + offset + "; stopping without committing it", policyFailure);
        }
        if (action != FailureAction.SKIP) {
            throw new ParallelConsumerException("Failure policy stopped the consumer at undeserializable record "
                    + tp + "@" + offset, cause);
        }
        options.observer().recordSkipped(failed);
        work.addCompleted(tp, offset);
        counters.skipped();
        consumer.seek(tp, offset + 1);
    }

    private static ByteBuffer readOnly(ByteBuffer buffer) {
        return buffer == null ? null : buffer.asReadOnlyBuffer();
    }

    private void shutdown() {
        long deadline = stopDeadlineNanos;
        long total = Math.max(0, deadline - System.nanoTime());
        // Keep part of the time for the final commit and for leaving the group.
        long reserve = Math.min(TimeUnit.SECONDS.toNanos(5), Math.max(TimeUnit.MILLISECONDS.toNanos(200), total / 5));
        try {
            // No more polling, so nothing new arrives: finish what was fetched, then commit all of it. After a
            // failure only what is running finishes: the failed record will never complete.
            boolean drained = failure == null && work.awaitDrained(null, deadline - reserve);
            work.stopDispatching();
            if (!drained && !work.awaitIdle(null, deadline - reserve)) {
                log.warn("Parallel consumer {}: records still running at the shutdown deadline; they stay "
                        + "uncommitted and will be delivered again", options.name());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        try {
            committer.commitSync(null, remaining(deadline, MAX_COMMIT_TIMEOUT));
        }
        catch (RuntimeException ex) {
            log.warn("Parallel consumer {}: final commit failed", options.name(), ex);
        }
        try {
            closeConsumer(deadline);
        }
        catch (RuntimeException ex) {
            log.warn("Parallel consumer {}: closing the Kafka consumer failed", options.name(), ex);
        }
        log.info("Parallel consumer {} closed", options.name());
    }

    private void closeConsumer(long deadline) {
        try {
            consumer.close(CloseOptions.timeout(remaining(deadline, MAX_COMMIT_TIMEOUT)));
        }
        catch (WakeupException ex) {
            // a backpressure wake-up was still pending; it is used up now
            consumer.close(CloseOptions.timeout(remaining(deadline, MAX_COMMIT_TIMEOUT)));
        }
    }

    private static Duration remaining(long deadlineNanos, Duration cap) {
        long left = Math.max(TimeUnit.MILLISECONDS.toNanos(100), deadlineNanos - System.nanoTime());
        return Duration.ofNanos(Math.min(left, cap.toNanos()));
    }

    /** Runs inside {@code poll}, on the poller thread. */
    private final class RebalanceListener implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            for (TopicPartition tp : partitions) {
                work.assign(tp);
            }
            if (options.commitMetadata()) {
                restoreAlreadyDone(partitions);
            }
            if (applicationPaused || backpressure.full()) {
                // before this poll can return anything from them
                consumer.pause(partitions);
                anyPaused = true; // so that the next look at backpressure resumes them if it should
            }
            options.observer().partitionsAssigned(partitions);
            log.info("Parallel consumer {} assigned {}", options.name(), partitions);
        }

        /** Reads which offsets the previous owner had already done; on any trouble they are simply redone. */
        private void restoreAlreadyDone(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> committed;
            try {
                committed = consumer.committed(new HashSet<>(partitions));
            }
            catch (RuntimeException ex) {
                log.warn("Parallel consumer {}: could not read the committed offsets of {} ({}); records above them "
                        + "that were already done will run again", options.name(), partitions, ex.toString());
                return;
            }
            committed.forEach((tp, position) -> {
                if (position == null) {
                    return;
                }
                CompletedOffsets done = CompletedOffsets.decode(position.metadata(), position.offset());
                if (done != null) {
                    work.skipAlreadyDone(tp, done);
                    log.info("Parallel consumer {}: {} resumes at offset {}; {} offsets above it were already done "
                            + "and will be skipped", options.name(), tp, position.offset(), done.count());
                }
            });
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // Finish what was fetched from these partitions (up to the revoke timeout) and commit it, so that the
            // next owner starts right after it. Past the timeout nothing new starts, and results still to come
            // are fenced off: those records are delivered again to the next owner.
            long deadline = System.nanoTime() + options.revokeTimeout().toNanos();
            if (stopRequested && stopDeadlineNanos - deadline < 0) {
                deadline = stopDeadlineNanos;
            }
            try {
                boolean drained = work.awaitDrained(partitions, deadline);
                work.stopDispatching(partitions);
                if (!drained && !work.awaitIdle(partitions, deadline)) {
                    log.warn("Parallel consumer {}: records of revoked {} still running after {}; their results "
                            + "will be dropped and they will be delivered again", options.name(), partitions,
                            options.revokeTimeout());
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            committer.commitSync(partitions, remaining(deadline, MAX_COMMIT_TIMEOUT));
            forget(partitions);
            log.info("Parallel consumer {} revoked {}", options.name(), partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // Someone else may own them already: committing now could move their offsets backwards.
            forget(partitions);
            log.warn("Parallel consumer {} lost {}; uncommitted work there will be delivered again",
                    options.name(), partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            work.revoke(partitions);
            committer.forget(partitions);
            leftToFetch.keySet().removeAll(partitions);
            options.observer().partitionsRevoked(partitions);
        }
    }
}
