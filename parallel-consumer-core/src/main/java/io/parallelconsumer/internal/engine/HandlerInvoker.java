package io.parallelconsumer.internal.engine;

import io.parallelconsumer.RecordHandler;
import io.parallelconsumer.RecordTracing;
import io.parallelconsumer.internal.work.RecordTraces;
import io.parallelconsumer.internal.work.WorkItem;

/**
 * Runs a blocking handler on one record, inside the record's trace when tracing is on, and turns the outcome into a
 * failure or {@code null}.
 */
final class HandlerInvoker {

    private HandlerInvoker() {
    }

    static <K, V> Throwable invoke(RecordHandler<K, V> handler, WorkItem<K, V> item, RecordTraces traces) {
        RecordTracing.Scope scope = traces.enabled() ? traces.open(item) : null;
        try {
            handler.handle(item.record());
            return null;
        }
        catch (Throwable ex) {
            // Errors too: a record must never vanish because its handler threw something unusual.
            return ex;
        }
        finally {
            if (scope != null) {
                traces.close(scope);
            }
        }
    }
}
