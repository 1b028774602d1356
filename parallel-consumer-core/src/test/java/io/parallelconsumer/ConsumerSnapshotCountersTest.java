package io.parallelconsumer;

import java.util.Map;

import io.parallelconsumer.ConsumerSnapshot.Counters;
import io.parallelconsumer.ConsumerSnapshot.TopicCounters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Two consumers' counts add up field by field, and topic by topic where only one of them saw a topic. */
class ConsumerSnapshotCountersTest {

    @Test
    void countsAddUpFieldByFieldAndTopicByTopic() {
        Counters first = new Counters(3, 2, 1, 4, 1, 2, 5,
                Map.of("a", new TopicCounters(1, 1, 1, 0, 0), "b", new TopicCounters(2, 1, 0, 1, 1)));
        Counters second = new Counters(10, 20, 30, 40, 50, 60, 70,
                Map.of("b", new TopicCounters(10, 20, 30, 40, 50), "c", new TopicCounters(7, 0, 0, 0, 0)));

        Counters sum = first.plus(second);

        assertThat(sum).isEqualTo(new Counters(13, 22, 31, 44, 51, 62, 75, Map.of(
                "a", new TopicCounters(1, 1, 1, 0, 0),
                "b", new TopicCounters(12, 21, 30, 41, 51),
                "c", new TopicCounters(7, 0, 0, 0, 0))));
        assertThat(second.plus(first)).isEqualTo(sum);
    }
}
