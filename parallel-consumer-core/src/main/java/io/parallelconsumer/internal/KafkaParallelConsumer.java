package io.parallelconsumer.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.ParallelConsumerOptions;
import io.parallelconsumer.internal.engine.Engines;
import io.parallelconsumer.internal.engine.ExecutionEngine;
import io.parallelconsumer.internal.events.ConsumerCounters;
import io.parallelconsumer.internal.poller.Poller;
import io.parallelconsumer.internal.work.RecordTraces;
import io.parallelconsumer.internal.work.WorkDispatcher;
import io.parallelconsumer.internal.work.WorkManager;
import io.parallelconsumer.internal.work.WorkTotals;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the pieces together and runs the life cycle: the poller thread (which owns the Kafka consumer), the work
 * manager, the execution engine and the retry timer.
 */
public final class KafkaParallelConsumer<K, V> implements ParallelConsumer<K, V> {

    private static final Logger log = LoggerFactory.getLogger(KafkaParallelConsumer.class);

    /** Time past the close timeout allowed for the poller thread to end, beyond its own bounded steps. */
    private static final long CLOSE_GRACE_MILLIS = 2000;

    private final ParallelConsumerOptions<K, V> options;
    private final WorkManager<K, V> work;
    private final ConsumerCounters counters;
    private final AtomicReference<ConsumerState> state = new AtomicReference<>(ConsumerState.CREATED);
    private final CompletableFuture<ConsumerState> termination = new CompletableFuture<>();
    private volatile Poller<K, V> poller;
    private volatile Thread pollerThread;
    private volatile Throwable startFailure;
    /** Since when the application has paused the consumer; {@code null} while it has not. */
    private volatile Instant pausedSince;

    public KafkaParallelConsumer(ParallelConsumerOptions<K, V> options) {
        this.options = options;
        this.work = new WorkManager<>(options.ordering(), System::nanoTime, options.concurrency());
        this.counters = work.counters();
    }

    @Override
    public void start() {
        if (!state.compareAndSet(ConsumerState.CREATED, ConsumerState.RUNNING)) {
            throw new IllegalStateException("Parallel consumer " + options.name() + " was already started (state "
                    + state.get() + "); build a new one to start again");
        }
        Consumer<K, V> consumer;
        try {
            consumer = options.consumerFactory().apply(new HashMap<>(options.consumerProperties()));
        }
        catch (RuntimeException ex) {
            startFailure = ex;
            end(ConsumerState.FAILED);
            throw ex;
        }
        RecordTraces traces = RecordTraces.of(options.tracing());
        ExecutionEngine<K, V> engine = Engines.create(options, traces);
        ScheduledExecutorService retryTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, options.name() + "-retry");
            thread.setDaemon(true);
            return thread;
        });
        Poller<K, V> newPoller = new Poller<>(options, consumer, work, work, counters);
        newPoller.applicationPaused(pausedSince != null);
        this.poller = newPoller;
        options.observer().started(this);
        engine.start(new WorkDispatcher<>(work, options, retryTimer, counters, newPoller::fail, traces));
        Thread thread = new Thread(() -> runPoller(newPoller, engine, retryTimer, traces),
                options.name() + "-poller");
        pollerThread = thread;
        thread.start();
        log.info("Parallel consumer {} started with the {} engine", options.name(), engine.name());
    }

    private void runPoller(Poller<K, V> poller, ExecutionEngine<K, V> engine, ScheduledExecutorService retryTimer,
            RecordTraces traces) {
        try {
            poller.run();
        }
        finally {
            // The poller drained what it could before closing the Kafka consumer; whatever still runs is abandoned.
            work.stopDispatching();
            retryTimer.shutdownNow();
            try {
                if (!engine.awaitTermination(Duration.ofMillis(500))) {
                    log.warn("Parallel consumer {}: interrupting handlers still running after shutdown",
                            options.name());
                    engine.interruptRunning();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            traces.endAll(); // records that waited for a retry stay uncommitted
            end(poller.failure() == null ? ConsumerState.STOPPED : ConsumerState.FAILED);
        }
    }

    private void end(ConsumerState endState) {
        state.set(endState);
        options.observer().stopped(this);
        termination.complete(endState);
    }

    @Override
    public void close(Duration timeout) {
        if (state.compareAndSet(ConsumerState.CREATED, ConsumerState.STOPPED)) {
            termination.complete(ConsumerState.STOPPED);
            return;
        }
        state.compareAndSet(ConsumerState.RUNNING, ConsumerState.STOPPING);
        Poller<K, V> current = poller;
        Thread thread = pollerThread;
        if (current == null || thread == null) {
            return;
        }
        current.requestStop(System.nanoTime() + timeout.toNanos());
        if (thread == Thread.currentThread()) {
            return; // closed from a rebalance or commit callback: the poller stops when the callback returns
        }
        try {
            TimeUnit.MILLISECONDS.timedJoin(thread, timeout.toMillis() + CLOSE_GRACE_MILLIS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Parallel consumer {} did not stop within {}", options.name(), timeout);
        }
    }

    @Override
    public void close() {
        close(options.shutdownTimeout());
    }

    @Override
    public void pause() {
        setPaused(true);
    }

    @Override
    public void resume() {
        setPaused(false);
    }

    private synchronized void setPaused(boolean paused) {
        if (paused != (pausedSince != null)) {
            pausedSince = paused ? Instant.now() : null;
        }
        Poller<K, V> current = poller;
        if (current != null) {
            current.applicationPaused(paused);
        }
    }

    @Override
    public ConsumerState state() {
        return state.get();
    }

    @Override
    public CompletionStage<ConsumerState> termination() {
        return termination.minimalCompletionStage();
    }

    @Override
    public ConsumerSnapshot snapshot() {
        Instant now = Instant.now();
        WorkTotals totals = work.totals();
        Poller<K, V> current = poller;
        Throwable failure = current != null ? current.failure() : startFailure;
        Instant unreachableSince = current != null ? current.unreachableSince() : null;
        return new ConsumerSnapshot(options.name(), options.groupId(), state.get(), failure, unreachableSince, now,
                options.maxInFlight(), totals.incomplete(), totals.queued(), totals.running(), totals.waitingRetry(),
                pausedSince, counters.read(totals.alreadyDone()),
                work.partitionSnapshots(now));
    }

    @Override
    public ParallelConsumerOptions<K, V> options() {
        return options;
    }

    @Override
    public String toString() {
        return "ParallelConsumer[" + options.name() + ", " + state.get() + "]";
    }
}
