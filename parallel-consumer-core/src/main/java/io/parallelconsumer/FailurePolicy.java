package io.parallelconsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to a record whose attempts are used up, or that could not be deserialized. It may also act
 * on the record first, for example publish it to a dead-letter topic. It runs on a consumer thread; an exception it
 * throws stops the consumer without committing the record.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface FailurePolicy<K, V> {

    /**
     * Decides the fate of a failed record.
     * @param failure the record and why it failed
     * @return what to do with it; {@code null} counts as {@link FailureAction#STOP}
     */
    FailureAction onFailure(FailedRecord<K, V> failure);

    /**
     * Whether the policy needs every record's key and value bytes as fetched ({@link FailedRecord#rawKey()},
     * {@link FailedRecord#rawValue()}) also when the handler failed, for example to publish them unchanged. The
     * consumer then keeps each record's bytes while it is in flight, which costs memory; off by default.
     */
    default boolean keepsOriginalBytes() {
        return false;
    }

    /** The default: log the failure at error level and skip the record. */
    static <K, V> FailurePolicy<K, V> logAndSkip() {
        Logger log = LoggerFactory.getLogger(FailurePolicy.class);
        return failure -> {
            log.error("Skipping record {}-{}@{} after {} attempt(s): {}", failure.topic(), failure.partition(),
                    failure.offset(), failure.attempts(), failure.kind(), failure.cause());
            return FailureAction.SKIP;
        };
    }

    /** Stop the consumer at the first record that cannot be processed, leaving it uncommitted. */
    static <K, V> FailurePolicy<K, V> stop() {
        return failure -> FailureAction.STOP;
    }
}
