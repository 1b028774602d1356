package io.parallelconsumer.spring.observation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.parallelconsumer.RecordTracing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;

import static org.assertj.core.api.Assertions.assertThat;

/** A record's observation: its name and tags, by default or by the application's convention, and its lifecycle. */
class ListenerObservationsTests {

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final ObservationRegistry registry = ObservationRegistry.create();

    ListenerObservationsTests() {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStart(Observation.Context context) {
                seen.add("start");
            }

            @Override
            public void onScopeOpened(Observation.Context context) {
                seen.add("scope");
            }

            @Override
            public void onEvent(Observation.Event event, Observation.Context context) {
                seen.add("event " + event.getName() + ": " + event.getContextualName());
            }

            @Override
            public void onError(Observation.Context context) {
                seen.add("error " + context.getError().getMessage());
            }

            @Override
            public void onStop(Observation.Context context) {
                seen.add("stop " + context.getName() + " '" + context.getContextualName() + "' "
                        + context.getLowCardinalityKeyValues().stream().map(KeyValue::getKey).sorted().toList()
                        + " " + context.getHighCardinalityKeyValues().stream().map(kv -> kv.getKey() + "="
                                + kv.getValue()).sorted().toList());
            }
        });
    }

    @Test
    void theDefaultConventionNamesTheSpanAfterTheTopicAndTagsListenerTopicPartitionAndOffset() {
        RecordTracing tracing = new ListenerObservations(registry, null).tracing("orders", "orders-app", "app-orders");
        RecordTracing.Trace trace = tracing.start(new ConsumerRecord<>("orders", 3, 42L, "k", "v"));
        trace.open().close();
        trace.retrying(1, new IllegalStateException("busy"));
        trace.open().close();
        trace.end(new IllegalStateException("gave up"));

        assertThat(seen).containsExactly("start", "scope", "event parallel.consumer.retry: attempt 1 failed: "
                + "java.lang.IllegalStateException: busy", "scope", "error gave up",
                "stop parallel.consumer.listener 'orders process' [listener, messaging.kafka.consumer.group, "
                        + "messaging.operation, messaging.system, topic] [messaging.kafka.client_id=app-orders, "
                        + "messaging.kafka.message.offset=42, messaging.kafka.source.partition=3]");
    }

    @Test
    void theApplicationsConventionReplacesTheDefault() {
        ParallelListenerObservationConvention convention = new ParallelListenerObservationConvention() {
            @Override
            public String getName() {
                return "orders.processing";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(KafkaRecordReceiverContext context) {
                return KeyValues.of("team", "checkout");
            }
        };
        RecordTracing tracing = new ListenerObservations(registry, convention).tracing("orders", "g", "c");
        tracing.start(new ConsumerRecord<>("orders", 0, 1L, "k", "v")).end(null);

        assertThat(seen).containsExactly("start", "stop orders.processing 'null' [team] []");
    }

    @Test
    void aRegistryThatObservesNothingTracesNothing() {
        RecordTracing tracing = new ListenerObservations(ObservationRegistry.NOOP, null).tracing("orders", "g", "c");
        assertThat(tracing.start(new ConsumerRecord<>("orders", 0, 1L, "k", "v"))).isNull();
    }
}
