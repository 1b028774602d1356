package io.parallelconsumer.internal.events;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.parallelconsumer.AttemptResult;
import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.FailedRecord;
import io.parallelconsumer.ParallelConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells several observers in turn and shields the consumer from them: an observer that throws is logged (loudly
 * the first time, then at debug level so a broken observer cannot flood the log) and the record goes on.
 */
public final class Observers implements ConsumerObserver {

    private static final Logger log = LoggerFactory.getLogger(Observers.class);

    private final List<ConsumerObserver> observers;
    private final AtomicBoolean warned = new AtomicBoolean();

    private Observers(List<ConsumerObserver> observers) {
        this.observers = observers;
    }

    /** One observer telling all of {@code observers}, or {@link ConsumerObserver#NONE} when there are none. */
    public static ConsumerObserver of(List<ConsumerObserver> observers) {
        return observers.isEmpty() ? NONE : new Observers(List.copyOf(observers));
    }

    private void each(Consumer<ConsumerObserver> call) {
        for (ConsumerObserver observer : observers) {
            try {
                call.accept(observer);
            }
            catch (RuntimeException ex) {
                failed(observer, ex);
            }
        }
    }

    private void failed(ConsumerObserver observer, RuntimeException ex) {
        if (warned.compareAndSet(false, true)) {
            log.warn("Consumer observer {} failed; ignoring it (further failures are logged at debug level)",
                    observer, ex);
        }
        else {
            log.debug("Consumer observer {} failed", observer, ex);
        }
    }

    @Override
    public void started(ParallelConsumer<?, ?> consumer) {
        each(observer -> observer.started(consumer));
    }

    @Override
    public void stopped(ParallelConsumer<?, ?> consumer) {
        each(observer -> observer.stopped(consumer));
    }

    @Override
    public void partitionsAssigned(Collection<TopicPartition> partitions) {
        each(observer -> observer.partitionsAssigned(partitions));
    }

    @Override
    public void partitionsRevoked(Collection<TopicPartition> partitions) {
        each(observer -> observer.partitionsRevoked(partitions));
    }

    @Override
    public void attemptEnded(ConsumerRecord<?, ?> record, AttemptResult result, long durationNanos) {
        // Once per record: a plain loop, no capturing lambda to allocate.
        for (ConsumerObserver observer : observers) {
            try {
                observer.attemptEnded(record, result, durationNanos);
            }
            catch (RuntimeException ex) {
                failed(observer, ex);
            }
        }
    }

    @Override
    public void recordFailed(FailedRecord<?, ?> failed) {
        each(observer -> observer.recordFailed(failed));
    }

    @Override
    public void recordSkipped(FailedRecord<?, ?> failed) {
        each(observer -> observer.recordSkipped(failed));
    }

    @Override
    public void recordDeadLettered(FailedRecord<?, ?> failed) {
        each(observer -> observer.recordDeadLettered(failed));
    }

    @Override
    public void commitEnded(boolean success) {
        each(observer -> observer.commitEnded(success));
    }

    @Override
    public void backpressurePaused() {
        each(observer -> observer.backpressurePaused());
    }

    @Override
    public String toString() {
        return "Observers" + observers;
    }
}
