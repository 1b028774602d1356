package io.parallelconsumer.internal.engine;

import io.parallelconsumer.EngineType;
import io.parallelconsumer.ParallelConsumerOptions;
import io.parallelconsumer.RecordHandler;
import io.parallelconsumer.internal.work.RecordTraces;

/** Picks the engine for a consumer's settings. */
public final class Engines {

    private Engines() {
    }

    public static <K, V> ExecutionEngine<K, V> create(ParallelConsumerOptions<K, V> options) {
        return create(options, RecordTraces.OFF);
    }

    /** @param traces the records' traces, which the engine starts and makes current around every attempt */
    public static <K, V> ExecutionEngine<K, V> create(ParallelConsumerOptions<K, V> options, RecordTraces traces) {
        String prefix = options.name() + "-worker-";
        if (options.asyncHandler() != null) {
            return new AsyncEngine<>(RecordMdc.around(options.name(), options.asyncHandler()), options.concurrency(),
                    prefix, traces);
        }
        boolean virtual = options.engine() == EngineType.VIRTUAL
                || (options.engine() == EngineType.AUTO && VirtualThreads.available());
        RecordHandler<K, V> handler = RecordMdc.around(options.name(), options.handler());
        return virtual ? new VirtualThreadEngine<>(handler, options.concurrency(), prefix, traces)
                : new PlatformThreadEngine<>(handler, options.concurrency(), prefix, traces);
    }
}
