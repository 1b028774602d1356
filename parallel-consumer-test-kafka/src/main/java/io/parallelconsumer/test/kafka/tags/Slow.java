package io.parallelconsumer.test.kafka.tags;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Takes long enough that a quick local run may leave it out. JUnit tag {@code slow}: {@code mvn verify -Dgroups=slow}
 * runs only these tests, {@code -DexcludedGroups=slow} leaves them out.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("slow")
public @interface Slow {
}
