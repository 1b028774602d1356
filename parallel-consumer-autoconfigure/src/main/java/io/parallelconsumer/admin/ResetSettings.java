package io.parallelconsumer.admin;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link KafkaResetOperations} may run.
 *
 * @param enabled whether anything may be deleted at all; off unless asked for, because a reset deletes data
 * @param allowedNames topics and groups a reset may touch (the whole name must match), or {@code null} for any
 * @param maxAttempts attempts per topic or group before giving up
 * @param initialBackoff the wait before the second attempt; it doubles with each attempt up to {@code maxBackoff}
 * @param maxBackoff the longest wait between attempts
 * @param operationTimeout how long one admin call, or one wait for a deletion or a leader election, may take
 */
public record ResetSettings(boolean enabled, Pattern allowedNames, int maxAttempts, Duration initialBackoff,
        Duration maxBackoff, Duration operationTimeout) {

    public ResetSettings {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial (" + initialBackoff
                    + ") <= max (" + maxBackoff + ")");
        }
        if (operationTimeout.isZero() || operationTimeout.isNegative()) {
            throw new IllegalArgumentException("operationTimeout must be positive, but was " + operationTimeout);
        }
    }

    /** Enabled, any name, 10 attempts from 200 ms doubling up to 5 s, 30 s per operation. */
    public static ResetSettings enabledForAnyName() {
        return new ResetSettings(true, null, 10, Duration.ofMillis(200), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
    }

    /** The same settings with other attempts and backoff. */
    public ResetSettings withRetries(int attempts, Duration initial, Duration max) {
        return new ResetSettings(enabled, allowedNames, attempts, initial, max, operationTimeout);
    }

    /** The wait before attempt {@code attempt + 1}. */
    Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis();
        for (int i = 1; i < attempt && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
