package io.parallelconsumer.internal.engine;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import io.parallelconsumer.AsyncRecordHandler;
import io.parallelconsumer.internal.work.WorkItem;

/**
 * Runs handlers that return a {@link CompletionStage}: the dispatcher starts each record and moves on; the stage
 * reports back from whichever thread completes it. No thread waits on a record in the meantime. Stages cannot be
 * interrupted, so on a timed-out close only the dispatcher is.
 */
public final class AsyncEngine<K, V> extends DispatchingEngine<K, V> {

    private final AsyncRecordHandler<K, V> handler;

    public AsyncEngine(AsyncRecordHandler<K, V> handler, int concurrency, String threadNamePrefix) {
        super(concurrency, threadNamePrefix);
        this.handler = handler;
    }

    @Override
    void launch(WorkSource<K, V> source, WorkItem<K, V> item) {
        CompletionStage<?> stage;
        try {
            stage = handler.handle(item.record());
            if (stage == null) {
                throw new IllegalStateException("Async handler returned null instead of a CompletionStage for " + item);
            }
        }
        catch (Throwable ex) {
            finish(source, item, ex);
            return;
        }
        stage.whenComplete((result, failure) -> finish(source, item, unwrap(failure)));
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
