package io.parallelconsumer.benchmarks.harness;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The Spring Boot application of one run: Spring Boot's Kafka auto-configuration and ours, and the one listener
 * the run registers. A fresh context per run, so runs share nothing but the JVM.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class HarnessRunApplication {
}
