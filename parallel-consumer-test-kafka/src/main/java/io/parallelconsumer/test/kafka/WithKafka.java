package io.parallelconsumer.test.kafka;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.parallelconsumer.test.kafka.tags.Kafka;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a Kafka broker: the Testcontainers Kafka container the class declares in a static field,
 * if it does (as for Spring Boot's {@code @ServiceConnection}); else an external cluster when
 * {@value BrokerSettings#BOOTSTRAP_SERVERS_PROPERTY} (or {@code TEST_KAFKA_BOOTSTRAP_SERVERS}) names one, a
 * Testcontainers container when one is asked for and Docker is there, otherwise a broker in this JVM. Its address
 * goes into the {@code spring.kafka.bootstrap-servers} system property for the class's tests, and test methods and
 * constructors may take a {@link KafkaBroker} and {@link KafkaFixtures} (one per test, cleaned up after it). When the
 * broker asked for does not come, the class's tests are skipped, saying why. Tagged {@code kafka}.
 * <p>
 * With {@code @SpringBootTest}, declare this annotation first: the address then counts in Spring's cache of test
 * applications, so that a class with a broker of its own never gets an application cached for another broker.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Kafka
@ExtendWith(KafkaBrokerExtension.class)
public @interface WithKafka {

    /** One broker for the run (the default), or one for this class. */
    BrokerScope scope() default BrokerScope.RUN;

    /**
     * Asks for a Testcontainers Kafka container (needs {@code org.testcontainers:testcontainers-kafka} and Docker),
     * as {@value BrokerSettings#CONTAINER_PROPERTY}{@code =true} does for every class. An external cluster, when one
     * is named, still comes first.
     */
    boolean container() default false;
}
