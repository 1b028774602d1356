package io.parallelconsumer.internal.events;

import java.util.concurrent.atomic.LongAdder;

import io.parallelconsumer.ConsumerSnapshot;

/**
 * What became of the records of one topic, counted from any thread without contention. A partition's work holds its
 * topic's tally, so that counting a record needs no lookup.
 */
public final class TopicTally {

    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();

    TopicTally() {
    }

    public void succeeded() {
        succeeded.increment();
    }

    /** An attempt failed, whatever comes of the record next. */
    public void attemptFailed() {
        failedAttempts.increment();
    }

    /** A failed attempt is to be tried again. */
    public void retried() {
        retried.increment();
    }

    /** The record was given up on: its attempts used up, or it could not be deserialized. */
    public void failed() {
        failed.increment();
    }

    /** A record given up on was skipped by the failure policy. */
    public void skipped() {
        skipped.increment();
    }

    /** A record given up on was published to a dead-letter topic by the failure policy. */
    public void deadLettered() {
        deadLettered.increment();
    }

    ConsumerSnapshot.TopicCounters read() {
        return new ConsumerSnapshot.TopicCounters(succeeded.sum(), failedAttempts.sum(), retried.sum(), failed.sum(),
                skipped.sum(), deadLettered.sum());
    }
}
