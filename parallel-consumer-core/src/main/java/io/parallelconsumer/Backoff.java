package io.parallelconsumer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed record waits before its next attempt. While it waits, no thread is held; under
 * {@link Ordering#KEY} and {@link Ordering#PARTITION} the later records of its key or partition wait with it.
 */
@FunctionalInterface
public interface Backoff {

    /**
     * The delay before the next attempt.
     * @param failedAttempts how many attempts have failed so far (1 after the first failure)
     * @return the delay, never negative
     */
    Duration delay(int failedAttempts);

    /** No delay between attempts. */
    static Backoff none() {
        return described(attempts -> Duration.ZERO, "none");
    }

    /**
     * The same delay before every attempt.
     * @param delay the delay, zero or positive
     */
    static Backoff fixed(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("Backoff delay must not be negative, but was " + delay);
        }
        return described(attempts -> delay, "fixed(" + delay + ")");
    }

    /**
     * A delay that starts at {@code initial} and grows by {@code multiplier} after each failure up to {@code max},
     * spread at random by up to {@code jitter} (a fraction: 0.2 means within 20 % either side) so that records
     * failing together do not retry together.
     */
    static Backoff exponential(Duration initial, double multiplier, Duration max, double jitter) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("Exponential backoff needs a positive initial delay, but was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "Exponential backoff max delay (" + max + ") must not be below its initial delay (" + initial + ")");
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("Exponential backoff multiplier must be at least 1, but was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("Exponential backoff jitter must be within [0, 1], but was " + jitter);
        }
        long initialNanos = initial.toNanos();
        long maxNanos = max.toNanos();
        return described(attempts -> {
            double base = Math.min(maxNanos, initialNanos * Math.pow(multiplier, Math.max(0, attempts - 1)));
            double spread = jitter == 0.0 ? 0.0 : base * jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
            return Duration.ofNanos((long) Math.max(0.0, Math.min(maxNanos, base + spread)));
        }, "exponential(initial " + initial + ", multiplier " + multiplier + ", max " + max + ", jitter " + jitter
                + ")");
    }

    /** A backoff whose {@code toString()} says what it is, for logs and the Actuator endpoint. */
    private static Backoff described(Backoff backoff, String description) {
        return new Backoff() {
            @Override
            public Duration delay(int failedAttempts) {
                return backoff.delay(failedAttempts);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
