package io.parallelconsumer.internal.work;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.parallelconsumer.AttemptResult;
import io.parallelconsumer.Backoff;
import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.FailedRecord;
import io.parallelconsumer.FatalHandlerException;
import io.parallelconsumer.ParallelConsumerException;
import io.parallelconsumer.ParallelConsumerOptions;
import io.parallelconsumer.internal.events.ConsumerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an engine sees of the control plane: it hands out records from the {@link WorkManager} and routes each
 * outcome: done, retry after a backoff, or - attempts used up - the failure policy's decision.
 */
public final class WorkDispatcher<K, V> implements WorkSource<K, V> {

    private static final Logger log = LoggerFactory.getLogger(WorkDispatcher.class);

    private final DispatchedWork<K, V> work;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Predicate<Throwable> notRetryable;
    private final GiveUp<K, V> giveUp;
    private final ScheduledExecutorService retryTimer;
    private final ConsumerObserver observer;
    private final boolean observed;
    private final Consumer<Throwable> onFatal;
    private final RecordTraces traces;

    /**
     * @param options where the retry settings, the failure policy and the observer come from
     * @param retryTimer runs retries when their backoff is over
     * @param onFatal told when a record stops the consumer
     */
    public WorkDispatcher(DispatchedWork<K, V> work, ParallelConsumerOptions<K, V> options,
            ScheduledExecutorService retryTimer, ConsumerCounters counters, Consumer<Throwable> onFatal) {
        this(work, options, retryTimer, counters, onFatal, RecordTraces.OFF);
    }

    /** @param traces the records' traces, which the engine starts and this dispatcher ends */
    public WorkDispatcher(DispatchedWork<K, V> work, ParallelConsumerOptions<K, V> options,
            ScheduledExecutorService retryTimer, ConsumerCounters counters, Consumer<Throwable> onFatal,
            RecordTraces traces) {
        this.traces = traces;
        this.work = work;
        this.maxAttempts = options.maxAttempts();
        this.backoff = options.backoff();
        this.notRetryable = options.notRetryable();
        this.giveUp = new GiveUp<>(options.failurePolicy(), options.observer(), counters);
        this.observer = options.observer();
        this.observed = observer != ConsumerObserver.NONE;
        this.retryTimer = retryTimer;
        this.onFatal = onFatal;
    }

    @Override
    public WorkItem<K, V> take() throws InterruptedException {
        return work.take();
    }

    @Override
    public WorkItem<K, V> completedAndPoll(WorkItem<K, V> item, Throwable failure) {
        if (failure == null) {
            item.partition.tally.succeeded();
            long end = observe(item, AttemptResult.SUCCESS);
            traces.end(item, null);
            // Within a batch of one shard's records, the next one starts without the lock; the batch is settled
            // when it ends.
            WorkItem<K, V> next = work.nextInBatch(item, end);
            return next != null ? next : work.completeAndPoll(item);
        }
        completed(item, failure);
        return work.poll();
    }

    @Override
    public void completed(WorkItem<K, V> item, Throwable failure) {
        if (failure == null) {
            observe(item, AttemptResult.SUCCESS);
            traces.end(item, null);
            work.complete(item);
            item.partition.tally.succeeded();
            return;
        }
        work.attemptFailed(item);
        int attempts = item.recordFailedAttempt();
        item.partition.tally.attemptFailed();
        if (failure instanceof FatalHandlerException) {
            // The handler cannot take this record at all: neither a retry nor the failure policy may move past it.
            observe(item, AttemptResult.FAILURE);
            traces.end(item, failure);
            work.abandon(item);
            onFatal.accept(new ParallelConsumerException("The handler cannot process record " + item
                    + "; stopping without committing it: " + failure.getMessage(), failure));
            return;
        }
        if (attempts < maxAttempts && !notRetryable.test(failure)) {
            item.partition.tally.retried();
            observe(item, AttemptResult.RETRY);
            traces.retrying(item, attempts, failure);
            scheduleRetry(item, attempts, failure);
        }
        else {
            observe(item, AttemptResult.FAILURE);
            try {
                giveUp(item, attempts, failure);
            }
            finally {
                // after the policy: a dead letter's send belongs to the record's processing
                traces.end(item, failure);
            }
        }
    }

    @Override
    public void engineFailed(Throwable error) {
        log.error("Engine thread {} failed outside any handler; stopping the consumer",
                Thread.currentThread().getName(), error);
        onFatal.accept(new ParallelConsumerException("Engine thread " + Thread.currentThread().getName()
                + " failed outside any handler; its records stay uncommitted", error));
    }

    /**
     * Before the record is handed back: its start time is only good until it runs again.
     * @return when the attempt ended, if the clock was read for the observer; else when it started - unobserved,
     *         the records of a batch share its start time and need no clock reading each
     */
    private long observe(WorkItem<K, V> item, AttemptResult result) {
        if (!observed) {
            return item.startedNanos();
        }
        long end = work.nanoTime();
        observer.attemptEnded(item.record(), result, end - item.startedNanos());
        return end;
    }

    private void scheduleRetry(WorkItem<K, V> item, int attempts, Throwable failure) {
        Duration delay = backoff.delay(attempts);
        log.debug("Attempt {} of {} failed for {}; retrying in {}", attempts, maxAttempts, item, delay, failure);
        if (!work.awaitRetry(item)) {
            // the partition went away meanwhile; the record stays uncommitted and is redelivered
            traces.end(item, failure);
            return;
        }
        if (traces.enabled()) {
            traces.endLeftBehind();
        }
        if (delay.isZero() || delay.isNegative()) {
            retryNow(item, failure);
            return;
        }
        try {
            retryTimer.schedule(() -> retryNow(item, failure), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            log.debug("Consumer closing: retry of {} dropped; it stays uncommitted", item);
            traces.end(item, failure);
        }
    }

    private void retryNow(WorkItem<K, V> item, Throwable failure) {
        if (!work.retryNow(item)) {
            traces.end(item, failure); // dropped with its partition
        }
    }

    private void giveUp(WorkItem<K, V> item, int attempts, Throwable failure) {
        ParallelConsumerException stop = giveUp.decide(FailedRecord.handlerFailed(item.record(), attempts, failure),
                "record " + item, " after " + attempts + " attempt(s)");
        if (stop == null) {
            work.complete(item);
            return;
        }
        work.abandon(item);
        onFatal.accept(stop);
    }
}
