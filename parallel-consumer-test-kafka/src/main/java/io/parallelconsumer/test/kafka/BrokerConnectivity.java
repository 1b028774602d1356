package io.parallelconsumer.test.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a broker to answer before its tests run: a cluster counts as there when it answers a metadata request
 * with at least one node and a known controller. Tries on the {@link ConnectBackoff} schedule.
 */
public final class BrokerConnectivity {

    private static final Logger log = LoggerFactory.getLogger(BrokerConnectivity.class);

    /** How long one try waits for the cluster's answer. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** One look at the cluster: returns normally when it answered, throws saying why it did not. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    /** Waits between tries; a test passes one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration delay) throws InterruptedException;
    }

    /**
     * What the waiting came to.
     *
     * @param reached whether the cluster answered
     * @param tries how many tries were made
     * @param lastFailure why the last try failed; {@code null} when the cluster answered
     */
    public record Outcome(boolean reached, int tries, Exception lastFailure) {
    }

    private BrokerConnectivity() {
    }

    /** Waits for the cluster at {@code bootstrapServers}, with an admin client of its own. */
    public static Outcome await(String bootstrapServers, ConnectBackoff backoff) throws InterruptedException {
        return await(probe(bootstrapServers), backoff, delay -> Thread.sleep(delay.toMillis()));
    }

    /** Tries {@code probe} until it passes or the tries are used up, waiting as {@code backoff} says between. */
    public static Outcome await(Probe probe, ConnectBackoff backoff, Sleeper sleeper) throws InterruptedException {
        Exception last = null;
        for (int attempt = 1; attempt <= backoff.maxTries(); attempt++) {
            Duration delay = backoff.delayBefore(attempt);
            if (!delay.isZero()) {
                sleeper.sleep(delay);
            }
            try {
                probe.check();
                return new Outcome(true, attempt, null);
            }
            catch (InterruptedException ex) {
                throw ex;
            }
            catch (Exception ex) {
                last = ex;
                log.info("Kafka test broker not reachable yet (try {} of {}): {}", attempt, backoff.maxTries(),
                        ex.toString());
            }
        }
        return new Outcome(false, backoff.maxTries(), last);
    }

    /** The metadata probe: at least one node, and a controller. */
    static Probe probe(String bootstrapServers) {
        return () -> {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis()))) {
                DescribeClusterResult cluster = admin.describeCluster();
                if (cluster.nodes().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty()) {
                    throw new IllegalStateException("the cluster at " + bootstrapServers + " reports no nodes");
                }
                Node controller = cluster.controller().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (controller == null || controller.isEmpty()) {
                    throw new IllegalStateException("the cluster at " + bootstrapServers + " has no controller");
                }
            }
        };
    }
}
