package io.parallelconsumer.test;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.PartitionSnapshot;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.opentest4j.AssertionFailedError;

/**
 * Waits, in a test, for what a parallel consumer did: records processed, or nothing left to do. Reads the consumer's
 * {@link ParallelConsumer#snapshot() snapshot} until the condition holds; when it does not within the timeout, or
 * the consumer fails meanwhile, the test fails with what was expected and what was seen (processed, in flight, lag
 * per partition).
 */
public final class ConsumerAwait {

    /** How long the waits wait unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final String name;
    private final Supplier<? extends ParallelConsumer<?, ?>> consumer;
    private final Duration timeout;

    private ConsumerAwait(String name, Supplier<? extends ParallelConsumer<?, ?>> consumer, Duration timeout) {
        this.name = name;
        this.consumer = consumer;
        this.timeout = timeout;
    }

    /** Waits on {@code consumer}. */
    public static ConsumerAwait on(ParallelConsumer<?, ?> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        return new ConsumerAwait(consumer.options().name(), () -> consumer, DEFAULT_TIMEOUT);
    }

    /**
     * Waits on whatever consumer {@code consumer} returns at each look: a Spring listener gets a new consumer when it
     * is started again.
     */
    static ConsumerAwait on(String name, Supplier<? extends ParallelConsumer<?, ?>> consumer) {
        return new ConsumerAwait(name, consumer, DEFAULT_TIMEOUT);
    }

    /** The same waits, with another timeout. */
    public ConsumerAwait atMost(Duration newTimeout) {
        if (newTimeout == null || newTimeout.isNegative() || newTimeout.isZero()) {
            throw new IllegalArgumentException("The timeout must be positive, was " + newTimeout);
        }
        return new ConsumerAwait(name, consumer, newTimeout);
    }

    /**
     * Until at least {@code count} records are processed since the consumer started: completed by the handler, or
     * given up on and skipped by the failure policy.
     *
     * @return the snapshot that showed it
     */
    public ConsumerSnapshot processed(long count) {
        return until("at least " + count + " records processed", s -> processed(s) >= count);
    }

    /**
     * Until nothing is left to do: nothing in flight, and on every assigned partition (at least one) the committed
     * offset at the log end - or, where this consumer fetched nothing, nothing to commit either.
     *
     * @return the snapshot that showed it
     */
    public ConsumerSnapshot idle() {
        return until("idle: nothing in flight and everything committed", ConsumerAwait::isIdle);
    }

    /** The consumer's snapshot now. */
    public ConsumerSnapshot snapshot() {
        return current().snapshot();
    }

    private ConsumerSnapshot until(String expected, Predicate<ConsumerSnapshot> condition) {
        AtomicReference<ConsumerSnapshot> last = new AtomicReference<>();
        ConsumerSnapshot seen;
        try {
            seen = Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
                    .until(() -> {
                        ConsumerSnapshot snapshot = snapshot();
                        last.set(snapshot);
                        return snapshot;
                    }, snapshot -> condition.test(snapshot) || ended(snapshot));
        }
        catch (ConditionTimeoutException ex) {
            throw new AssertionFailedError("Expected parallel consumer '" + name + "' to be " + expected + " within "
                    + timeout + "; saw " + describe(last.get()));
        }
        if (!condition.test(seen)) {
            throw new AssertionFailedError("Expected parallel consumer '" + name + "' to be " + expected + ", but it "
                    + "ended first: " + describe(seen), seen.failure());
        }
        return seen;
    }

    private ParallelConsumer<?, ?> current() {
        ParallelConsumer<?, ?> current = consumer.get();
        if (current == null) {
            throw new AssertionFailedError("No parallel consumer '" + name + "'");
        }
        return current;
    }

    private static boolean ended(ConsumerSnapshot snapshot) {
        return snapshot.state() == ConsumerState.FAILED || snapshot.state() == ConsumerState.STOPPED;
    }

    private static long processed(ConsumerSnapshot snapshot) {
        return snapshot.counters().succeeded() + snapshot.counters().skipped();
    }

    static boolean isIdle(ConsumerSnapshot snapshot) {
        return snapshot.inFlight() == 0 && !snapshot.partitions().isEmpty()
                && snapshot.partitions().stream().allMatch(ConsumerAwait::isIdle);
    }

    private static boolean isIdle(PartitionSnapshot partition) {
        if (partition.logEndOffset() < 0 || partition.incomplete() > 0) {
            return false;
        }
        if (partition.committedOffset() >= 0) {
            return partition.committedOffset() == partition.logEndOffset();
        }
        // Nothing committed by this consumer: idle only if it fetched nothing and starts at the log end.
        return partition.highestFetchedOffset() < 0 && partition.commitOffset() == partition.logEndOffset();
    }

    /** What a failure message says of a snapshot. */
    static String describe(ConsumerSnapshot snapshot) {
        if (snapshot == null) {
            return "no snapshot";
        }
        ConsumerSnapshot.Counters counters = snapshot.counters();
        String partitions = snapshot.partitions().isEmpty() ? "none assigned"
                : snapshot.partitions().stream().map(p -> p.topic() + "-" + p.partition() + " lag " + p.lag()
                        + " (committed " + p.committedOffset() + ", log end " + p.logEndOffset() + ")")
                        .collect(Collectors.joining(", "));
        return snapshot.state() + ", processed " + processed(snapshot) + " (succeeded " + counters.succeeded()
                + ", skipped " + counters.skipped() + "), failed attempts " + counters.failedAttempts()
                + ", in flight " + snapshot.inFlight() + ", partitions: " + partitions
                + (snapshot.failure() != null ? ", failure: " + snapshot.failure() : "");
    }
}
