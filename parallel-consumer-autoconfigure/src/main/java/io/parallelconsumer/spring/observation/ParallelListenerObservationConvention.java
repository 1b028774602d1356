package io.parallelconsumer.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;

/**
 * Names and tags the observation of one record's processing by a {@code @ParallelListener}. An application's bean
 * of this type replaces {@link DefaultParallelListenerObservationConvention}. The context is Spring Kafka's own,
 * so a convention can read the record, the listener id, the group and the client id as for {@code @KafkaListener}.
 */
public interface ParallelListenerObservationConvention extends ObservationConvention<KafkaRecordReceiverContext> {

    /** The observation's name: its timer is {@code parallel.consumer.listener}, apart from Spring Kafka's. */
    String NAME = "parallel.consumer.listener";

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof KafkaRecordReceiverContext;
    }

    @Override
    default String getName() {
        return NAME;
    }
}
