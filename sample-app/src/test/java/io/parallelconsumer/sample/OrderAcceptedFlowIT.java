package io.parallelconsumer.sample;

import java.time.Duration;

import io.parallelconsumer.test.ParallelConsumerTest;
import io.parallelconsumer.test.kafka.FlowTracker;
import io.parallelconsumer.test.kafka.KafkaFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** An order event followed through the application by its correlation id, to the order-accepted answer. */
@ParallelConsumerTest(properties = { "sample.generator.enabled=false", "sample.simulated-io=1ms" })
class OrderAcceptedFlowIT {

    private static final String ORDERS = KafkaFixtures.uniqueName("flow-orders");
    private static final String ACCEPTED = KafkaFixtures.uniqueName("flow-accepted");

    @DynamicPropertySource
    static void topics(DynamicPropertyRegistry registry) {
        registry.add("sample.topic", () -> ORDERS);
        registry.add("sample.accepted-topic", () -> ACCEPTED);
    }

    @Test
    void anOrderEventIsAnsweredOnTheAcceptedTopicWithItsCorrelationId(KafkaFixtures kafka) {
        FlowTracker tracker = new FlowTracker(kafka);
        String first = tracker.publish(ORDERS, "customer-7", new OrderEvent("customer-7", 0, 1250).format());
        String second = tracker.publish(ORDERS, "customer-7", new OrderEvent("customer-7", 1, 300).format());

        FlowTracker.Flow flow = tracker.trackEventFlow(second, ORDERS, ACCEPTED, Duration.ofSeconds(60));

        assertThat(flow.requestFound()).isTrue();
        assertThat(flow.responseFound()).as("answered on %s", ACCEPTED).isTrue();
        assertThat(flow.response().key()).isEqualTo("customer-7");
        assertThat(flow.response().value()).isEqualTo("accepted customer-7:1:300");
        assertThat(flow.duration()).hasValueSatisfying(took -> assertThat(took.isNegative()).isFalse());
        assertThat(tracker.trackEventFlow(first, ORDERS, ACCEPTED, Duration.ofSeconds(60)).response().value())
                .isEqualTo("accepted customer-7:0:1250");
    }
}
