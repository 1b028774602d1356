package io.parallelconsumer.validation.run;

import java.time.Duration;
import java.util.Locale;

/**
 * How big a run is. {@code quick} runs every delivery test in a few minutes (for CI); {@code full} is the run the
 * committed reports come from.
 *
 * @param rate records per second the producer sends during a delivery test
 * @param keys keys the records are spread over
 * @param partitions partitions of the topic
 * @param valueBytes bytes of each record's value
 * @param work each record's work in the consumer (a sleep)
 * @param brokers nodes of the cluster for the tests that are not about brokers (the broker test always has 3)
 * @param consumerKills how many times the consumer-restart test kills an instance
 * @param faultSpacing load between two faults
 * @param sessionTimeout the consumers' {@code session.timeout.ms}
 * @param rollingRestart whether the broker test also restarts all three nodes one by one after the kill
 */
public record Profile(String name, int rate, int keys, int partitions, int valueBytes, Duration work, int brokers,
        int consumerKills, Duration faultSpacing, Duration sessionTimeout, boolean rollingRestart) {

    public static final Profile QUICK = new Profile("quick", 500, 200, 12, 200, Duration.ofMillis(2), 1, 3,
            Duration.ofSeconds(6), Duration.ofSeconds(6), false);

    public static final Profile FULL = new Profile("full", 1000, 1000, 12, 1024, Duration.ofMillis(2), 3, 8,
            Duration.ofSeconds(10), Duration.ofSeconds(10), true);

    public static Profile named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "quick" -> QUICK;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("No profile '" + name + "'; use quick or full");
        };
    }

    /** How long a network cut lasts: well past the session timeout, so the group moves on without the victim. */
    public Duration cut() {
        return sessionTimeout.multipliedBy(2);
    }
}
