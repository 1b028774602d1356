package io.parallelconsumer.test.kafka.tags;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Needs a Kafka broker. JUnit tag {@code kafka}: {@code mvn verify -Dgroups=kafka} runs only these tests, {@code
 * -DexcludedGroups=kafka} leaves them out.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("kafka")
public @interface Kafka {
}
