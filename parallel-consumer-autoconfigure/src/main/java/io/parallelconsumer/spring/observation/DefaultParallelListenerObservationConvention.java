package io.parallelconsumer.spring.observation;

import io.micrometer.common.KeyValues;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;

/**
 * The tags of a record's observation: low-cardinality {@code listener} and {@code topic} (the tags of the
 * {@code parallel.consumer.*} meters) with the messaging system, operation and consumer group; high-cardinality
 * partition, offset and client id, under Spring Kafka's keys. The span is named {@code <topic> process}, as Spring
 * Kafka names its listener's.
 */
public class DefaultParallelListenerObservationConvention implements ParallelListenerObservationConvention {

    public static final DefaultParallelListenerObservationConvention INSTANCE =
            new DefaultParallelListenerObservationConvention();

    @Override
    public KeyValues getLowCardinalityKeyValues(KafkaRecordReceiverContext context) {
        return KeyValues.of("listener", context.getListenerId(), "topic", context.getSource(), "messaging.system",
                "kafka", "messaging.operation", "process", "messaging.kafka.consumer.group",
                String.valueOf(context.getGroupId()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(KafkaRecordReceiverContext context) {
        return KeyValues.of("messaging.kafka.source.partition", context.getPartition(),
                "messaging.kafka.message.offset", context.getOffset(), "messaging.kafka.client_id",
                String.valueOf(context.getClientId()));
    }

    @Override
    public String getContextualName(KafkaRecordReceiverContext context) {
        return context.getSource() + " process";
    }
}
