package io.parallelconsumer.internal.events;

import java.util.Map;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerSnapshot.TopicCounters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** One tally per topic, whose sums are the consumer's totals. */
class ConsumerCountersTest {

    private final ConsumerCounters counters = new ConsumerCounters();

    @Test
    void aTopicHasOneTallyHoweverOftenItIsAskedFor() {
        assertThat(counters.topic("orders")).isSameAs(counters.topic("orders")).isNotSameAs(counters.topic("other"));
    }

    @Test
    void theTotalsAreTheSumsOfTheTopics() {
        TopicTally orders = counters.topic("orders");
        orders.succeeded();
        orders.succeeded();
        orders.attemptFailed();
        orders.retried();
        TopicTally payments = counters.topic("payments");
        payments.succeeded();
        payments.attemptFailed();
        payments.failed();
        payments.skipped();
        counters.commit(true);
        counters.commit(false);
        counters.backpressurePause();

        ConsumerSnapshot.Counters read = counters.read(4);

        assertThat(read.topics()).containsOnly(entry("orders", new TopicCounters(2, 1, 1, 0, 0)),
                entry("payments", new TopicCounters(1, 1, 0, 1, 1)));
        assertThat(read).isEqualTo(new ConsumerSnapshot.Counters(3, 2, 1, 1, 1, 1, 4, read.topics()));
    }

    @Test
    void nothingCountedReadsAsZeroWithNoTopics() {
        assertThat(counters.read(0)).isEqualTo(new ConsumerSnapshot.Counters(0, 0, 0, 0, 0, 0, 0, Map.of()));
    }
}
