package io.parallelconsumer.spring.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.PartitionSnapshot;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one listener, from its consumer's snapshot:
 * <ul>
 * <li>DOWN when the consumer failed, or has had no exchange with any broker for longer than the unreachable
 * threshold (no connection, or connections on which nothing comes back, as when a network drops packets);</li>
 * <li>the configured blocked status (DOWN by default) when an offset has held back a partition's commits for
 * longer than the blocked threshold, with each such partition, its offset and for how long in the details;</li>
 * <li>UNKNOWN while the listener is not started or was stopped on purpose, so that a listener switched off does
 * not take the application down;</li>
 * <li>UP otherwise; a listener the application paused is UP with state PAUSED and since when in the details.</li>
 * </ul>
 */
public class ListenerHealthIndicator implements HealthIndicator {

    private final Supplier<ParallelConsumer<?, ?>> consumer;
    private final Duration blockedThreshold;
    private final Status blockedStatus;
    private final Duration unreachableThreshold;

    /**
     * @param consumer the listener's current consumer (a stopped listener gets a new one when started again)
     */
    public ListenerHealthIndicator(Supplier<ParallelConsumer<?, ?>> consumer, Duration blockedThreshold,
            Status blockedStatus, Duration unreachableThreshold) {
        this.consumer = consumer;
        this.blockedThreshold = blockedThreshold;
        this.blockedStatus = blockedStatus;
        this.unreachableThreshold = unreachableThreshold;
    }

    @Override
    public Health health() {
        ParallelConsumer<?, ?> current = consumer.get();
        if (current == null) {
            return Health.unknown().withDetail("state", "REMOVED").build();
        }
        ConsumerSnapshot snapshot = current.snapshot();
        Instant now = snapshot.takenAt();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", snapshot.state());
        details.put("groupId", snapshot.groupId());
        details.put("assignedPartitions", snapshot.partitions().size());
        details.put("inFlight", snapshot.inFlight());
        if (snapshot.state() == ConsumerState.FAILED) {
            Throwable failure = snapshot.failure();
            return Health.down().withDetails(details)
                    .withDetail("error", failure == null ? "unknown" : failure.toString()).build();
        }
        if (snapshot.state() == ConsumerState.CREATED || snapshot.state() == ConsumerState.STOPPED) {
            return Health.unknown().withDetails(details).build();
        }
        if (snapshot.pausedSince() != null) {
            // Paused on purpose: healthy, but a reader of the details must see why nothing moves.
            details.put("state", "PAUSED");
            details.put("pausedSince", snapshot.pausedSince().toString());
        }
        Instant unreachableSince = snapshot.unreachableSince();
        if (unreachableSince != null && exceeds(Duration.between(unreachableSince, now), unreachableThreshold)) {
            return Health.down().withDetails(details)
                    .withDetail("error", "no exchange with any Kafka broker since " + unreachableSince
                            + " (no connection, or no response on the open ones)")
                    .withDetail("unreachableFor", Duration.between(unreachableSince, now).toString()).build();
        }
        List<Map<String, Object>> blocked = blocked(snapshot.partitions(), now);
        if (!blocked.isEmpty()) {
            Map<String, Object> worst = blocked.get(0);
            return Health.status(blockedStatus).withDetails(details)
                    .withDetail("error", "offset " + worst.get("offset") + " of " + worst.get("partition")
                            + " has blocked commits for " + worst.get("blockedFor") + " (threshold "
                            + blockedThreshold + ")")
                    .withDetail("blocked", blocked).build();
        }
        return Health.up().withDetails(details).build();
    }

    /** Partitions whose blocking offset is past the threshold, longest blocked first. */
    private List<Map<String, Object>> blocked(List<PartitionSnapshot> partitions, Instant now) {
        List<PartitionSnapshot> stuck = new ArrayList<>();
        for (PartitionSnapshot partition : partitions) {
            if (exceeds(partition.blockedFor(now), blockedThreshold)) {
                stuck.add(partition);
            }
        }
        stuck.sort(Comparator.comparing(PartitionSnapshot::blockedSince));
        List<Map<String, Object>> result = new ArrayList<>();
        for (PartitionSnapshot partition : stuck) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("partition", partition.topic() + "-" + partition.partition());
            entry.put("offset", partition.blockingOffset());
            entry.put("blockedSince", partition.blockedSince().toString());
            entry.put("blockedFor", partition.blockedFor(now).toString());
            entry.put("incomplete", partition.incomplete());
            result.add(entry);
        }
        return result;
    }

    private static boolean exceeds(Duration duration, Duration threshold) {
        return duration.compareTo(threshold) > 0;
    }
}
