package io.parallelconsumer.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.parallelconsumer.RecordTracing;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;

/**
 * Makes each record's processing a Micrometer {@link Observation} in Spring Kafka's
 * {@link KafkaRecordReceiverContext}, whose propagation getter reads the record's headers: with Micrometer Tracing,
 * the span continues the producer's trace ({@code traceparent}, or B3 as the application's propagation consumes),
 * is current (and its ids in the MDC) while the listener method runs, has an event per retry, and ends when the
 * record is done - for an async method, when its stage completes.
 */
public class ListenerObservations {

    /** The retry event's name; its contextual name says which attempt failed and why. */
    public static final String RETRY_EVENT = "parallel.consumer.retry";

    private final ObservationRegistry registry;
    private final ParallelListenerObservationConvention convention;

    /** @param convention the application's convention, or {@code null} for the default one */
    public ListenerObservations(ObservationRegistry registry, ParallelListenerObservationConvention convention) {
        this.registry = registry;
        this.convention = convention;
    }

    /** The tracing of one listener's records. */
    public RecordTracing tracing(String listenerId, String groupId, String clientId) {
        return record -> {
            Observation observation = Observation.createNotStarted(convention,
                    DefaultParallelListenerObservationConvention.INSTANCE,
                    () -> new KafkaRecordReceiverContext(record, listenerId, clientId, groupId, () -> null), registry);
            if (observation.isNoop()) {
                return null;
            }
            return new ObservedRecord(observation.start());
        };
    }

    private record ObservedRecord(Observation observation) implements RecordTracing.Trace {

        @Override
        public RecordTracing.Scope open() {
            return observation.openScope()::close;
        }

        @Override
        public void retrying(int failedAttempts, Throwable failure) {
            observation.event(Observation.Event.of(RETRY_EVENT, "attempt " + failedAttempts + " failed: " + failure));
        }

        @Override
        public void end(Throwable failure) {
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        }
    }
}
