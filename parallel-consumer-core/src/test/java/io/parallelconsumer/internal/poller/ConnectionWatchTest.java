package io.parallelconsumer.internal.poller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the connection watch reads the Kafka client's own metrics, against a {@code MockConsumer} that has them. */
class ConnectionWatchTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final MetricsConsumer consumer = new MetricsConsumer();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final ConnectionWatch watch = new ConnectionWatch(consumer, 0, clock);
    private long nanos;

    @Test
    void noConnectionAtAllIsUnreachableFromTheMomentTheCountFellToZero() {
        consumer.set("connection-count", 1);
        consumer.set("response-total", 10);
        check();
        assertThat(watch.unreachableSince()).isNull();

        consumer.set("connection-count", 0);
        Instant fell = clock.instant().plusSeconds(1); // as the next check sees it
        check();
        assertThat(watch.unreachableSince()).isEqualTo(fell);
        check();
        assertThat(watch.unreachableSince()).as("still since then").isEqualTo(fell);

        consumer.set("connection-count", 2);
        check();
        assertThat(watch.unreachableSince()).isNull();
    }

    @Test
    void openConnectionsThatCarryNothingAreUnreachableSinceTheLastResponse() {
        consumer.set("connection-count", 1);
        consumer.set("response-total", 10);
        check();
        consumer.set("response-total", 11);
        Instant lastResponse = clock.instant().plusSeconds(1);
        check();
        for (int i = 0; i < 10; i++) {
            check(); // ten seconds of silence on open connections: not yet
        }
        assertThat(watch.unreachableSince()).isNull();
        check();
        assertThat(watch.unreachableSince()).isEqualTo(lastResponse);

        consumer.set("response-total", 12);
        check();
        assertThat(watch.unreachableSince()).isNull();
    }

    @Test
    void aConsumerWithoutTheseMetricsHasNoOpinion() {
        check();
        assertThat(watch.unreachableSince()).isNull();
    }

    @Test
    void looksAtMostOnceASecond() {
        consumer.set("connection-count", 1);
        check();
        consumer.set("connection-count", 0);
        watch.check(nanos + SECOND / 2);
        assertThat(watch.unreachableSince()).as("checked half a second ago").isNull();
    }

    /** Advances both clocks by a second and checks. */
    private void check() {
        nanos += SECOND;
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        watch.check(nanos);
    }

    private static final class MetricsConsumer extends MockConsumer<String, String> {

        private final Map<MetricName, Metric> metrics = new HashMap<>();

        MetricsConsumer() {
            super("earliest");
        }

        void set(String name, double value) {
            MetricName metricName = new MetricName(name, "consumer-metrics", "", Map.of("client-id", "test"));
            metrics.put(metricName, new Metric() {
                @Override
                public MetricName metricName() {
                    return metricName;
                }

                @Override
                public Object metricValue() {
                    return value;
                }
            });
        }

        @Override
        public synchronized Map<MetricName, ? extends Metric> metrics() {
            return Map.copyOf(metrics);
        }
    }

    private static final class MutableClock extends Clock {

        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
