package io.parallelconsumer.internal.events;

import java.util.concurrent.atomic.LongAdder;

import io.parallelconsumer.ConsumerSnapshot;

/** Monotonic totals of one consumer, updated from any thread without contention and read by snapshots. */
public final class ConsumerCounters {

    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder commitsSucceeded = new LongAdder();
    private final LongAdder commitsFailed = new LongAdder();
    private final LongAdder backpressurePauses = new LongAdder();

    public void succeeded() {
        succeeded.increment();
    }

    public void failedAttempt() {
        failedAttempts.increment();
    }

    public void skipped() {
        skipped.increment();
    }

    public void commit(boolean success) {
        (success ? commitsSucceeded : commitsFailed).increment();
    }

    public void backpressurePause() {
        backpressurePauses.increment();
    }

    /** @param alreadyDone records the work manager skipped as done by a previous owner */
    public ConsumerSnapshot.Counters read(long alreadyDone) {
        return new ConsumerSnapshot.Counters(succeeded.sum(), failedAttempts.sum(), skipped.sum(),
                commitsSucceeded.sum(), commitsFailed.sum(), backpressurePauses.sum(), alreadyDone);
    }
}
