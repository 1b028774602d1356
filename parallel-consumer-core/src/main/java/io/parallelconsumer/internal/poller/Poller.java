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
import io.parallelconsumer.ParallelConsumerException;
import io.parallelconsumer.ParallelConsumerOptions;
import io.parallelconsumer.internal.events.ConsumerCounters;
import io.parallelconsumer.internal.fetch.OriginalBytes;
import io.parallelconsumer.internal.work.CommittableWork;
import io.parallelconsumer.internal.work.FetchedWork;
import io.parallelconsumer.internal.work.GiveUp;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
    static final Duration MAX_COMMIT_TIMEOUT = Duration.ofSeconds(10);
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
    private final GiveUp<K, V> giveUp;
    /** Whether the deserializers leave each record's bytes in its headers, to be moved into the record. */
    private final boolean keepsOriginalBytes;

    private volatile boolean stopRequested;
    private volatile long stopDeadlineNanos;
    private volatile boolean applicationPaused;
    private volatile Throwable failure;
    /**
     * Whether a partition was left paused by the last look at backpressure (for it or for the application's pause),
     * or paused since by the rebalance listener: then the next look must not be skipped.
     */
    private boolean anyPaused;
    /** The partitions the last look at backpressure left paused. */
    private Set<TopicPartition> pausedByLastLook = Set.of();
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
        this.giveUp = new GiveUp<>(options.failurePolicy(), options.observer(), counters);
        this.keepsOriginalBytes = options.failurePolicy().keepsOriginalBytes();
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
        ConsumerRebalanceListener listener = new RebalanceListener<>(options, consumer, work, committer, new Host());
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
            work.add(tp, keepsOriginalBytes ? OriginalBytes.detach(records.records(tp)) : records.records(tp));
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
        Set<TopicPartition> paused = pausedByLastLook; // looked at in this same turn of the loop
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
        pausedByLastLook = wanted;
        anyPaused = !wanted.isEmpty();
    }

    private void onDeserializationFailure(RecordDeserializationException ex) {
        TopicPartition tp = ex.topicPartition();
        long offset = ex.offset();
        Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
        FailedRecord<K, V> failed = new FailedRecord<>(FailedRecord.Kind.DESERIALIZATION_FAILED, tp.topic(),
                tp.partition(), offset, null, readOnly(ex.keyBuffer()), readOnly(ex.valueBuffer()), 0, cause,
                OriginalBytes.withoutOriginalBytes(ex.headers()), ex.timestamp(), ex.timestampType(),
                ex.origin() == RecordDeserializationException.DeserializationExceptionOrigin.KEY);
        ParallelConsumerException stop = giveUp.decide(failed, "undeserializable record " + tp + "@" + offset, "");
        if (stop != null) {
            throw stop;
        }
        work.addCompleted(tp, offset);
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
            if (!work.finishAndStop(null, deadline - reserve, failure == null)) {
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

    /** Time left until the deadline, at least 100 ms and at most {@code cap}. */
    static Duration remaining(long deadlineNanos, Duration cap) {
        long left = Math.max(TimeUnit.MILLISECONDS.toNanos(100), deadlineNanos - System.nanoTime());
        return Duration.ofNanos(Math.min(left, cap.toNanos()));
    }

    /** What the rebalance listener needs of the poller's state. */
    private final class Host implements RebalanceListener.Host {

        @Override
        public boolean pausesNewPartitions() {
            return applicationPaused || backpressure.full();
        }

        @Override
        public void pausedSome() {
            anyPaused = true; // so that the next look at backpressure resumes them if it should
        }

        @Override
        public long revokeDeadline(long nowNanos) {
            long deadline = nowNanos + options.revokeTimeout().toNanos();
            return stopRequested && stopDeadlineNanos - deadline < 0 ? stopDeadlineNanos : deadline;
        }

        @Override
        public void forgotten(Collection<TopicPartition> partitions) {
            committer.forget(partitions);
            leftToFetch.keySet().removeAll(partitions);
        }
    }
}
