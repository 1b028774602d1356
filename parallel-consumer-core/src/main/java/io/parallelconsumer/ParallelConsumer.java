package io.parallelconsumer;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Consumes Kafka records with more concurrency than there are partitions, keeping the order the chosen
 * {@link Ordering} asks for and committing only offsets below which every record is done (at-least-once).
 * <p>
 * One poller thread owns the Kafka consumer; an execution engine runs the handler. Build one with
 * {@link #builder()}, {@link #start()} it, and {@link #close(Duration)} it when done:
 * <pre>{@code
 * ParallelConsumer<String, String> consumer = ParallelConsumer.<String, String>builder()
 *         .consumerProperties(props)
 *         .topics(List.of("orders"))
 *         .ordering(Ordering.KEY)
 *         .concurrency(256)
 *         .handler(record -> process(record))
 *         .build();
 * consumer.start();
 * ...
 * consumer.close(Duration.ofSeconds(30));
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface ParallelConsumer<K, V> extends AutoCloseable {

    /** A builder for a new consumer. */
    static <K, V> ParallelConsumerBuilder<K, V> builder() {
        return new ParallelConsumerBuilder<>();
    }

    /**
     * Creates the Kafka consumer, subscribes and starts fetching and processing on background threads.
     * @throws IllegalStateException if already started
     * @throws org.apache.kafka.common.KafkaException if the Kafka consumer cannot be created from its properties
     */
    void start();

    /**
     * Stops fetching, finishes the records already fetched (up to the timeout), commits what is done and closes
     * the Kafka consumer. Records not done by the timeout are not committed and are delivered again later. Returns
     * within about the timeout even if a handler ignores interruption. Does nothing if already closed.
     */
    void close(Duration timeout);

    /** {@link #close(Duration)} with the configured shutdown timeout. */
    @Override
    void close();

    /** Stops fetching new records (records already fetched still run), until {@link #resume()}. */
    void pause();

    /** Undoes {@link #pause()}. Backpressure may still keep some partitions paused. */
    void resume();

    /** The current life-cycle state. */
    ConsumerState state();

    /** Completes when the consumer has stopped, whether closed or failed. */
    CompletionStage<ConsumerState> termination();

    /** The state of the consumer and of each assigned partition now. */
    ConsumerSnapshot snapshot();

    /** The settings this consumer was built with. */
    ParallelConsumerOptions<K, V> options();
}
