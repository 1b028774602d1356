package io.parallelconsumer.validation.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The consumer under test: an application on the starter, configured as a user would configure one
 * ({@code spring.kafka.*} and {@code parallel-consumer.*}), started by the suite as its own process. It logs every
 * record it processed ({@link ProcessedRecords}) and nothing else that the suite relies on.
 */
@SpringBootApplication
@EnableConfigurationProperties(ValidationProperties.class)
public class ValidationApplication {

    public static void main(String[] args) {
        SpringApplication.run(ValidationApplication.class, args);
    }
}
