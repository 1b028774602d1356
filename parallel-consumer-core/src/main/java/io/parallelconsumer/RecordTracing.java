package io.parallelconsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows each record from its first attempt to its end, for a tracing layer that the core does not know about (the
 * Spring Boot starter binds Micrometer's {@code Observation} API through one). Register with
 * {@link ParallelConsumerBuilder#tracing(RecordTracing)}.
 * <p>
 * A record's trace {@linkplain #start starts} on the thread about to run its first attempt. It is
 * {@linkplain Trace#open current} on the thread of every attempt while the handler runs (an async handler: until it
 * has returned its stage), hears of every {@linkplain Trace#retrying retry}, and {@linkplain Trace#end ends} once:
 * when the handler completed the record, when the failure policy has decided on it, or when it is left uncommitted
 * (its partition went away or the consumer closed while it waited for a retry) - whichever engine runs it, and on
 * whichever thread completed an async handler's stage. The calls are on the hot path of a traced record; a
 * tracing layer that throws is logged and otherwise ignored: it can never lose a record.
 */
@FunctionalInterface
public interface RecordTracing {

    /**
     * The record is about to run for the first time.
     * @return its trace, or {@code null} not to trace this record
     */
    Trace start(ConsumerRecord<?, ?> record);

    /** One record's trace. */
    interface Trace {

        /**
         * Makes the trace current on the calling thread for one attempt; the consumer closes the scope on the same
         * thread when the handler returns.
         */
        Scope open();

        /**
         * An attempt failed and the record will be tried again after the backoff.
         * @param failedAttempts attempts that have failed so far
         */
        void retrying(int failedAttempts, Throwable failure);

        /**
         * The record's processing ended.
         * @param failure {@code null} when the handler completed the record; otherwise the last attempt's failure,
         *        after which the failure policy has decided (or the record stays uncommitted)
         */
        void end(Throwable failure);
    }

    /** A trace made current on one thread, until closed. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {

        @Override
        void close();
    }
}
