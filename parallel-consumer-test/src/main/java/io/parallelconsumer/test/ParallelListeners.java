package io.parallelconsumer.test;

import java.time.Duration;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import org.opentest4j.AssertionFailedError;

/**
 * The parallel listeners of a Spring test's application, by id: their snapshots, and waits for what they processed
 * and for their going idle ({@link ConsumerAwait}). A bean in tests annotated {@link ParallelConsumerTest}; any test
 * may also build one from the application's {@link ParallelListenerRegistry}.
 */
public class ParallelListeners {

    private final ParallelListenerRegistry registry;

    public ParallelListeners(ParallelListenerRegistry registry) {
        this.registry = registry;
    }

    /** The waits on listener {@code listenerId}, with the default timeout; {@code atMost} sets another. */
    public ConsumerAwait await(String listenerId) {
        if (!registry.getListenerIds().contains(listenerId)) {
            throw new AssertionFailedError("No parallel listener '" + listenerId + "'; the application has "
                    + registry.getListenerIds());
        }
        return ConsumerAwait.on(listenerId, () -> registry.getConsumer(listenerId));
    }

    /** The listener's snapshot now. */
    public ConsumerSnapshot snapshot(String listenerId) {
        return await(listenerId).snapshot();
    }

    /** Until the listener has processed at least {@code count} records (see {@link ConsumerAwait#processed}). */
    public ConsumerSnapshot awaitProcessed(String listenerId, long count) {
        return await(listenerId).processed(count);
    }

    /** The same, within {@code timeout}. */
    public ConsumerSnapshot awaitProcessed(String listenerId, long count, Duration timeout) {
        return await(listenerId).atMost(timeout).processed(count);
    }

    /** Until the listener has nothing left to do (see {@link ConsumerAwait#idle}). */
    public ConsumerSnapshot awaitIdle(String listenerId) {
        return await(listenerId).idle();
    }

    /** The same, within {@code timeout}. */
    public ConsumerSnapshot awaitIdle(String listenerId, Duration timeout) {
        return await(listenerId).atMost(timeout).idle();
    }
}
