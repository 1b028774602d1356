package io.parallelconsumer.internal.engine;

import io.parallelconsumer.EngineType;
import io.parallelconsumer.ParallelConsumerOptions;

/** Picks the engine for a consumer's settings. */
public final class Engines {

    private Engines() {
    }

    public static <K, V> ExecutionEngine<K, V> create(ParallelConsumerOptions<K, V> options) {
        String prefix = options.name() + "-worker-";
        if (options.asyncHandler() != null) {
            return new AsyncEngine<>(options.asyncHandler(), options.concurrency(), prefix);
        }
        boolean virtual = options.engine() == EngineType.VIRTUAL
                || (options.engine() == EngineType.AUTO && VirtualThreads.available());
        return virtual ? new VirtualThreadEngine<>(options.handler(), options.concurrency(), prefix)
                : new PlatformThreadEngine<>(options.handler(), options.concurrency(), prefix);
    }
}
