package io.parallelconsumer.validation.delivery;

import java.time.Duration;
import java.util.List;

/** The delivery tests, in the order the suite runs them, and what they share. */
public final class DeliveryTests {

    /** How long the groups get, once the producer stopped, to process and commit everything. */
    static final Duration CATCH_UP = Duration.ofSeconds(120);

    private DeliveryTests() {
    }

    public static List<DeliveryTest> all() {
        return List.of(new BrokerRestartTest(), new ConsumerRestartTest(), new NetworkPartitionTest(),
                new OffsetRecoveryTest(), new MultipleGroupsTest());
    }
}
