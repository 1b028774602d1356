package io.parallelconsumer.test.kafka;

import java.time.Duration;

/**
 * How long to wait for a broker before its tests are skipped: a first try at once, then tries after delays that
 * start at {@code initialDelay} and grow by {@code multiplier}, {@code maxTries} tries in all.
 *
 * @param initialDelay the delay before the second try
 * @param multiplier how much each delay grows over the one before, at least 1
 * @param maxTries how many tries in all, at least 1
 */
public record ConnectBackoff(Duration initialDelay, double multiplier, int maxTries) {

    /** 2 s, growing by 1.5: tries at 0, 2, 5, 9.5 and 16.25 s. */
    public static final ConnectBackoff DEFAULT = new ConnectBackoff(Duration.ofSeconds(2), 1.5, 5);

    public ConnectBackoff {
        if (initialDelay == null || initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must be zero or more, was " + initialDelay);
        }
        if (!(multiplier >= 1)) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
        if (maxTries < 1) {
            throw new IllegalArgumentException("maxTries must be at least 1, was " + maxTries);
        }
    }

    /** The delay before try {@code tryNumber} (1-based): zero for the first. */
    public Duration delayBefore(int tryNumber) {
        if (tryNumber <= 1) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.round(initialDelay.toNanos() * Math.pow(multiplier, tryNumber - 2)));
    }
}
