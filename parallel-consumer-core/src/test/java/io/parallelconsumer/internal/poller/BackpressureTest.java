package io.parallelconsumer.internal.poller;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackpressureTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void pausesAllAtHighMarkAndResumesOnlyAtLowMark() {
        Backpressure backpressure = new Backpressure(100, 0.7);

        assertThat(backpressure.update(99, Map.of(P0, 50, P1, 49))).isZero();
        assertThat(backpressure.shouldPause(P0)).isFalse();

        assertThat(backpressure.update(100, Map.of(P0, 50, P1, 50))).isEqualTo(1);
        assertThat(backpressure.shouldPause(P0)).isTrue();
        assertThat(backpressure.shouldPause(P1)).isTrue();

        backpressure.update(71, Map.of(P0, 31, P1, 40));
        assertThat(backpressure.full()).as("hysteresis: still above the low mark").isTrue();

        backpressure.update(70, Map.of(P0, 30, P1, 40));
        assertThat(backpressure.full()).isFalse();
        assertThat(backpressure.shouldPause(P0)).isFalse();
    }

    @Test
    void pausesOnlyTheCongestedPartitionWhileOthersFlow() {
        Backpressure backpressure = new Backpressure(100, 0.7); // congested at 35, relieved at 24

        assertThat(backpressure.update(40, Map.of(P0, 35, P1, 5))).isEqualTo(1);
        assertThat(backpressure.shouldPause(P0)).isTrue();
        assertThat(backpressure.shouldPause(P1)).isFalse();

        // The stuck partition keeps its records; the other one fills up to the global mark and drains again.
        backpressure.update(100, Map.of(P0, 35, P1, 65));
        assertThat(backpressure.shouldPause(P1)).isTrue();
        backpressure.update(70, Map.of(P0, 35, P1, 35));
        assertThat(backpressure.shouldPause(P1)).as("others resume although P0 is still stuck").isFalse();
        assertThat(backpressure.shouldPause(P0)).isTrue();

        backpressure.update(24, Map.of(P0, 24, P1, 0));
        assertThat(backpressure.shouldPause(P0)).isFalse();
    }

    @Test
    void aSinglePartitionMayUseTheWholeBudget() {
        Backpressure backpressure = new Backpressure(100, 0.7);
        backpressure.update(99, Map.of(P0, 99));
        assertThat(backpressure.shouldPause(P0)).isFalse();
    }
}
