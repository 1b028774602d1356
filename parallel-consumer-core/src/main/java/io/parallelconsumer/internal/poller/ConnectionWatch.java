package io.parallelconsumer.internal.poller;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Notices when the Kafka consumer has no connection to any broker, from the client's own
 * {@code consumer-metrics/connection-count} metric: {@code poll} never fails when the cluster is unreachable, it
 * just returns nothing, so this is how health checks tell a quiet topic from a lost cluster. Checked from the
 * poller thread (which owns the consumer) at most once a second; read from any thread.
 */
final class ConnectionWatch {

    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String GROUP = "consumer-metrics";
    private static final String NAME = "connection-count";

    private final Consumer<?, ?> consumer;
    private MetricName metricName;
    private long nextCheckNanos;
    private volatile Instant disconnectedSince;

    ConnectionWatch(Consumer<?, ?> consumer, long nowNanos) {
        this.consumer = consumer;
        this.nextCheckNanos = nowNanos;
    }

    void check(long nowNanos) {
        if (nowNanos - nextCheckNanos < 0) {
            return;
        }
        nextCheckNanos = nowNanos + CHECK_EVERY_NANOS;
        Map<MetricName, ? extends Metric> metrics = consumer.metrics();
        Metric metric = metricName != null ? metrics.get(metricName) : find(metrics);
        if (metric == null) {
            return; // a consumer without this metric (a test double): no opinion
        }
        Object value = metric.metricValue();
        boolean connected = !(value instanceof Number count) || count.doubleValue() > 0;
        if (connected) {
            disconnectedSince = null;
        }
        else if (disconnectedSince == null) {
            disconnectedSince = Instant.now();
        }
    }

    private Metric find(Map<MetricName, ? extends Metric> metrics) {
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (NAME.equals(name.name()) && GROUP.equals(name.group())) {
                metricName = name;
                return entry.getValue();
            }
        }
        return null;
    }

    /** Since when no broker connection has been open, or {@code null} while connected (or not known). */
    Instant disconnectedSince() {
        return disconnectedSince;
    }
}
