package io.parallelconsumer.internal.poller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Notices when the Kafka consumer cannot reach the cluster, from the client's own {@code consumer-metrics}:
 * {@code poll} never fails when the cluster is unreachable, it just returns nothing, so this is how health checks
 * tell a quiet topic from a lost cluster. Two ways to be cut off are told apart:
 * <ul>
 * <li>no connection open to any broker ({@code connection-count} 0): unreachable since the count fell to 0;</li>
 * <li>connections open but nothing comes back ({@code response-total} does not grow): a network that drops packets
 * keeps TCP connections open for a long time. A member of a group hears from its coordinator at every heartbeat
 * (every 3 s by default, 5 s with {@code group.protocol=consumer}) even while every partition is paused, so silence
 * longer than {@link #SILENCE} means the connections carry nothing: unreachable since the last response.</li>
 * </ul>
 * Checked from the poller thread (which owns the consumer) at most once a second; read from any thread.
 */
final class ConnectionWatch {

    /** Silence on open connections after which the cluster counts as unreachable, since its last response. */
    static final Duration SILENCE = Duration.ofSeconds(10);

    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String GROUP = "consumer-metrics";
    private static final String CONNECTIONS = "connection-count";
    private static final String RESPONSES = "response-total";

    private final Consumer<?, ?> consumer;
    private MetricName connectionsName;
    private MetricName responsesName;
    private long nextCheckNanos;
    private double responses = -1;
    private Instant lastResponse;
    private Instant disconnectedSince;
    private volatile Instant unreachableSince;

    private final Clock clock;

    ConnectionWatch(Consumer<?, ?> consumer, long nowNanos) {
        this(consumer, nowNanos, Clock.systemUTC());
    }

    /** @param clock the wall clock that the times it reports are read from */
    ConnectionWatch(Consumer<?, ?> consumer, long nowNanos, Clock clock) {
        this.consumer = consumer;
        this.nextCheckNanos = nowNanos;
        this.clock = clock;
    }

    void check(long nowNanos) {
        if (nowNanos - nextCheckNanos < 0) {
            return;
        }
        nextCheckNanos = nowNanos + CHECK_EVERY_NANOS;
        Map<MetricName, ? extends Metric> metrics = consumer.metrics();
        if (connectionsName == null) {
            connectionsName = find(metrics, CONNECTIONS);
            responsesName = find(metrics, RESPONSES);
        }
        Double connections = value(metrics, connectionsName);
        if (connections == null) {
            return; // a consumer without these metrics (a test double): no opinion
        }
        Instant now = clock.instant();
        Double total = value(metrics, responsesName);
        if (lastResponse == null || total != null && total > responses) {
            lastResponse = now; // the first check counts as a response: the consumer has just started
            responses = total == null ? responses : total;
        }
        if (connections > 0) {
            disconnectedSince = null;
        }
        else if (disconnectedSince == null) {
            disconnectedSince = now;
        }
        if (disconnectedSince != null) {
            unreachableSince = disconnectedSince;
        }
        else if (total != null && Duration.between(lastResponse, now).compareTo(SILENCE) > 0) {
            unreachableSince = lastResponse;
        }
        else {
            unreachableSince = null;
        }
    }

    private static MetricName find(Map<MetricName, ? extends Metric> metrics, String name) {
        for (MetricName metricName : metrics.keySet()) {
            if (name.equals(metricName.name()) && GROUP.equals(metricName.group())) {
                return metricName;
            }
        }
        return null;
    }

    private static Double value(Map<MetricName, ? extends Metric> metrics, MetricName name) {
        Metric metric = name == null ? null : metrics.get(name);
        return metric != null && metric.metricValue() instanceof Number number ? number.doubleValue() : null;
    }

    /**
     * Since when the consumer has had no exchange with any broker (no connection, or no response on its
     * connections for longer than {@link #SILENCE}), or {@code null} while it has (or when not known).
     */
    Instant unreachableSince() {
        return unreachableSince;
    }
}
