package io.parallelconsumer.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Order events keyed by customer id, processed by a {@code @ParallelListener} with KEY ordering: each customer's
 * events must arrive in sequence, or its account goes wrong (counted as out-of-order). Without
 * {@code spring.kafka.bootstrap-servers} it runs its own broker, so {@code mvn -pl sample-app spring-boot:run} is a
 * working demo on a fresh machine.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SampleApplication.class);
        EmbeddedBroker broker = EmbeddedBroker.startUnlessConfigured(args);
        if (broker != null) {
            application.addInitializers(broker.stopWithContext());
        }
        try {
            application.run(args);
        }
        catch (RuntimeException ex) {
            if (broker != null) {
                broker.destroy(); // the context never got to own it
            }
            throw ex;
        }
    }
}
