package io.parallelconsumer.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.parallelconsumer.test.kafka.WithKafka;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * A {@code @SpringBootTest} of an application's parallel listeners against a Kafka broker ({@link WithKafka}: an
 * external cluster, a container or a broker in the test JVM), with a {@link ParallelListeners} bean to wait for what
 * they did. New groups read from the earliest offset ({@code spring.kafka.consumer.auto-offset-reset=earliest}, at the
 * lowest precedence: the application's own configuration and the test's properties win), so that records a test
 * sends before its listener is assigned are not missed. For a container, add {@code @WithKafka(container = true)}
 * beside it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@WithKafka
@SpringBootTest
@Import(ParallelListenersConfiguration.class)
public @interface ParallelConsumerTest {

    /** More properties of the test's application, as {@link SpringBootTest#properties()}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default {};

    /** The application's configuration classes, as {@link SpringBootTest#classes()}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "classes")
    Class<?>[] classes() default {};

    /** The web environment, as {@link SpringBootTest#webEnvironment()}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "webEnvironment")
    SpringBootTest.WebEnvironment webEnvironment() default SpringBootTest.WebEnvironment.MOCK;
}
