package io.parallelconsumer.internal.work;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.parallelconsumer.RecordTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each record's {@link RecordTracing.Trace} on its {@link WorkItem}: started and made current by the engine
 * around every attempt, told of retries and ended by the {@link WorkDispatcher}. A record waiting for a retry may be
 * left behind (its partition revoked, the consumer closed); those are remembered, so that their traces end too -
 * a trace that never ends keeps its span, and the long-task timer of a Micrometer observation, open for good.
 * A tracing layer that throws is logged and ignored, like an observer.
 */
public final class RecordTraces {

    /** Tracing off: the engines and the dispatcher skip every call. */
    public static final RecordTraces OFF = new RecordTraces(null);

    private static final Logger log = LoggerFactory.getLogger(RecordTraces.class);

    private static final RecordTracing.Scope NO_SCOPE = () -> { };

    private final RecordTracing tracing;
    /**
     * Traced records that failed and wait for their next attempt, the ones that can be left behind, with their last
     * failure.
     */
    private final Map<WorkItem<?, ?>, Throwable> waiting = new ConcurrentHashMap<>();
    private final AtomicBoolean warned = new AtomicBoolean();

    private RecordTraces(RecordTracing tracing) {
        this.tracing = tracing;
    }

    /** The traces of one consumer; {@link #OFF} for {@code null}. */
    public static RecordTraces of(RecordTracing tracing) {
        return tracing == null ? OFF : new RecordTraces(tracing);
    }

    public boolean enabled() {
        return tracing != null;
    }

    /**
     * On the thread about to run an attempt of the record: its trace (started with the first attempt) made
     * current, until the returned scope is closed on this thread.
     */
    public RecordTracing.Scope open(WorkItem<?, ?> item) {
        try {
            RecordTracing.Trace trace = item.trace();
            if (trace == null) {
                if (item.failedAttempts() > 0) {
                    return NO_SCOPE; // ended meanwhile (swept as left behind, or not traced): not started again
                }
                trace = tracing.start(item.record());
                if (trace == null) {
                    return NO_SCOPE;
                }
                item.trace(trace);
            }
            else {
                waiting.remove(item); // a retry: it waits no more (a first attempt never waited)
            }
            RecordTracing.Scope scope = trace.open();
            return scope != null ? scope : NO_SCOPE;
        }
        catch (RuntimeException ex) {
            failed(ex);
            return NO_SCOPE;
        }
    }

    /** Closes a scope {@link #open} returned, on the thread that opened it. */
    public void close(RecordTracing.Scope scope) {
        try {
            scope.close();
        }
        catch (RuntimeException ex) {
            failed(ex);
        }
    }

    /** The record failed and waits for a retry. */
    void retrying(WorkItem<?, ?> item, int failedAttempts, Throwable failure) {
        if (tracing == null) {
            return;
        }
        RecordTracing.Trace trace = item.trace();
        if (trace == null) {
            return;
        }
        waiting.put(item, failure);
        try {
            trace.retrying(failedAttempts, failure);
        }
        catch (RuntimeException ex) {
            failed(ex);
        }
    }

    /** The record's processing ended: completed ({@code failure} null), given up on, or left uncommitted. */
    void end(WorkItem<?, ?> item, Throwable failure) {
        if (tracing == null) {
            return; // off: no atomic swap on every record
        }
        RecordTracing.Trace trace = item.takeTrace();
        if (trace == null) {
            return;
        }
        waiting.remove(item);
        try {
            trace.end(failure);
        }
        catch (RuntimeException ex) {
            failed(ex);
        }
    }

    /** Ends the traces of records that wait for a retry of a partition no longer handed out. */
    void endLeftBehind() {
        if (waiting.isEmpty()) {
            return;
        }
        waiting.forEach((item, failure) -> {
            if (!item.partition.dispatching) {
                end(item, failure);
            }
        });
    }

    /** The consumer stopped: every trace still open belongs to a record that stays uncommitted. */
    public void endAll() {
        waiting.forEach(this::end);
    }

    private void failed(RuntimeException ex) {
        if (warned.compareAndSet(false, true)) {
            log.warn("Record tracing {} failed; ignoring it (further failures are logged at debug level)", tracing,
                    ex);
        }
        else {
            log.debug("Record tracing {} failed", tracing, ex);
        }
    }
}
