package io.parallelconsumer.internal.engine;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import io.parallelconsumer.AsyncRecordHandler;
import io.parallelconsumer.RecordTracing;
import io.parallelconsumer.internal.work.RecordTraces;
import io.parallelconsumer.internal.work.WorkItem;
import io.parallelconsumer.internal.work.WorkSource;

/**
 * Runs handlers that return a {@link CompletionStage}: the dispatcher starts each record and moves on; the stage
 * reports back from whichever thread completes it. No thread waits on a record in the meantime. A stage already
 * complete when the handler returns is reported at once, and the dispatcher goes on with the next ready record
 * under the same permit, as a platform worker would: handlers that finish synchronously cost no callback and no
 * separate take per record. Stages cannot be interrupted, so on a timed-out close only the dispatcher is.
 */
public final class AsyncEngine<K, V> extends DispatchingEngine<K, V> {

    private final AsyncRecordHandler<K, V> handler;
    private final RecordTraces traces;

    public AsyncEngine(AsyncRecordHandler<K, V> handler, int concurrency, String threadNamePrefix) {
        this(handler, concurrency, threadNamePrefix, RecordTraces.OFF);
    }

    /** @param traces the records' traces: current while the handler starts its stage, ended when it completes */
    public AsyncEngine(AsyncRecordHandler<K, V> handler, int concurrency, String threadNamePrefix,
            RecordTraces traces) {
        super(concurrency, threadNamePrefix);
        this.handler = handler;
        this.traces = traces;
    }

    @Override
    void launch(WorkSource<K, V> source, WorkItem<K, V> item) {
        boolean handedOver = false;
        try {
            WorkItem<K, V> current = item;
            while (current != null) {
                CompletionStage<?> stage;
                RecordTracing.Scope scope = traces.enabled() ? traces.open(current) : null;
                try {
                    stage = handler.handle(current.record());
                    if (stage == null) {
                        throw new IllegalStateException(
                                "Async handler returned null instead of a CompletionStage for " + current);
                    }
                }
                catch (Throwable ex) {
                    closeScope(scope);
                    current = source.completedAndPoll(current, ex);
                    continue;
                }
                closeScope(scope);
                if (stage instanceof CompletableFuture<?> future && future.isDone()) {
                    current = source.completedAndPoll(current, failureOf(future));
                    continue;
                }
                WorkItem<K, V> pending = current;
                handedOver = true; // the stage's callback reports the record and frees the permit
                stage.whenComplete((result, failure) -> finish(source, pending, unwrap(failure)));
                return;
            }
        }
        finally {
            if (!handedOver) {
                releasePermit();
            }
        }
    }

    private void closeScope(RecordTracing.Scope scope) {
        if (scope != null) {
            traces.close(scope);
        }
    }

    private static Throwable failureOf(CompletableFuture<?> done) {
        try {
            done.join();
            return null;
        }
        catch (CompletionException | CancellationException ex) {
            return unwrap(ex);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        if ((failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null) {
            return failure.getCause();
        }
        return failure;
    }

    @Override
    public String name() {
        return "async";
    }
}
