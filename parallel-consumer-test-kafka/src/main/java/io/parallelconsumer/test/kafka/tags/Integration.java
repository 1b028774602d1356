package io.parallelconsumer.test.kafka.tags;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Runs several parts together (a broker, an application context), rather than one class alone. JUnit tag {@code
 * integration}: {@code mvn verify -Dgroups=integration} runs only these tests, {@code -DexcludedGroups=integration}
 * leaves them out.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("integration")
public @interface Integration {
}
