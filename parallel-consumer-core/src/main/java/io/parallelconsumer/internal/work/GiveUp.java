package io.parallelconsumer.internal.work;

import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.FailedRecord;
import io.parallelconsumer.FailureAction;
import io.parallelconsumer.FailurePolicy;
import io.parallelconsumer.ParallelConsumerException;
import io.parallelconsumer.internal.events.ConsumerCounters;
import io.parallelconsumer.internal.events.TopicTally;

/**
 * Gives up on a record that cannot be processed - its attempts used up, or its bytes not deserializable: counts the
 * failure, tells the observer, asks the failure policy, and counts a skip or a dead letter. The one place where a policy's decision is
 * taken, for the engines' records and for the poller's alike; what skipping means for the record (complete it, seek
 * past it) is the caller's.
 */
public final class GiveUp<K, V> {

    private final FailurePolicy<K, V> policy;
    private final ConsumerObserver observer;
    private final ConsumerCounters counters;

    public GiveUp(FailurePolicy<K, V> policy, ConsumerObserver observer, ConsumerCounters counters) {
        this.policy = policy;
        this.observer = observer;
        this.counters = counters;
    }

    /**
     * @param subject the record as messages name it, for example {@code "record orders-0@42"}
     * @param detail what the message adds when the policy stops the consumer, or {@code ""}
     * @return {@code null} when the policy skips the record (told and counted); otherwise why the consumer stops,
     *         without committing the record
     */
    public ParallelConsumerException decide(FailedRecord<K, V> failed, String subject, String detail) {
        TopicTally tally = counters.topic(failed.topic());
        tally.failed();
        observer.recordFailed(failed);
        FailureAction action;
        try {
            action = policy.onFailure(failed);
        }
        catch (Throwable policyFailure) {
            ParallelConsumerException stop = new ParallelConsumerException(
                    "Failure policy threw for " + subject + "; stopping without committing it: " + policyFailure,
                    policyFailure);
            stop.addSuppressed(failed.cause());
            return stop;
        }
        if (action == FailureAction.SKIP) {
            observer.recordSkipped(failed);
            tally.skipped();
            return null;
        }
        if (action == FailureAction.DEAD_LETTERED) {
            observer.recordDeadLettered(failed);
            tally.deadLettered();
            return null;
        }
        return new ParallelConsumerException("Failure policy stopped the consumer at " + subject + detail,
                failed.cause());
    }
}
