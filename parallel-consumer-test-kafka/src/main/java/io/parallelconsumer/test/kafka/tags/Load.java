package io.parallelconsumer.test.kafka.tags;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Puts load on the system to measure or stress it; rarely part of an ordinary build. JUnit tag {@code load}: {@code
 * mvn verify -Dgroups=load} runs only these tests, {@code -DexcludedGroups=load} leaves them out.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("load")
public @interface Load {
}
