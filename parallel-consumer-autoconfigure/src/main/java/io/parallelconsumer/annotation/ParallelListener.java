package io.parallelconsumer.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.parallelconsumer.Ordering;

/**
 * Marks a bean method as a parallel Kafka listener. It gets one record at a time: the method takes exactly one of
 * {@code ConsumerRecord<K, V>}, {@code Message<V>} or the value {@code V}, plus any {@code @Header} parameters,
 * and returns {@code void} (it is done when it returns) or a {@code CompletionStage<?>} (it is done when the stage
 * completes, without holding a thread). A method that cannot take every record fails startup. The String
 * attributes accept {@code ${...}} placeholders and {@code #{...}} expressions (with bean references, and the
 * listener's bean as {@code __listener}). Settings under {@code parallel-consumer.listeners.<id>.*} override what
 * is set here.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ParallelListener {

    /** The listener's id, used for its per-listener properties, its threads and the registry. Defaults to the method. */
    String id() default "";

    /** Topics to consume; or use {@link #topicPattern()}. */
    String[] topics() default {};

    /** A regular expression of topics to consume, instead of {@link #topics()}. */
    String topicPattern() default "";

    /** The consumer group; defaults to {@code spring.kafka.consumer.group-id}, then to the id. */
    String groupId() default "";

    /** The ordering; {@code parallel-consumer.ordering} when not set here. */
    Ordering[] ordering() default {};

    /** Records processed at once; {@code parallel-consumer.concurrency} when empty. */
    String concurrency() default "";

    /** Whether to start with the application context: "true", "false", or empty for the global setting. */
    String autoStartup() default "";
}
