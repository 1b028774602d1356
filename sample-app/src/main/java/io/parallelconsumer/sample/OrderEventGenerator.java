package io.parallelconsumer.sample;

import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/** Creates the topic and feeds it order events of many customers, each customer's events in sequence. */
@Configuration(proxyBeanMethods = false)
class OrderEventGenerator {

    @Bean
    NewTopic ordersTopic(SampleProperties properties) {
        return TopicBuilder.name(properties.getTopic()).partitions(properties.getPartitions()).replicas(1).build();
    }

    @Bean
    @ConditionalOnProperty(name = "sample.accepted-topic")
    NewTopic acceptedTopic(SampleProperties properties) {
        return TopicBuilder.name(properties.getAcceptedTopic()).partitions(properties.getPartitions()).replicas(1)
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = "sample.generator.enabled", matchIfMissing = true)
    Generator generator(KafkaTemplate<String, String> template, SampleProperties properties) {
        return new Generator(template, properties);
    }

    static final class Generator {

        private final KafkaTemplate<String, String> template;
        private final SampleProperties properties;
        private final long[] sequences;
        private long sent;

        Generator(KafkaTemplate<String, String> template, SampleProperties properties) {
            this.template = template;
            this.properties = properties;
            this.sequences = new long[properties.getCustomers()];
        }

        /** Sends one second's worth of events, in bursts every 100 ms. */
        @Scheduled(fixedRate = 100)
        void sendBurst() {
            if (properties.getGenerator().getMaxEvents() > 0 && sent >= properties.getGenerator().getMaxEvents()) {
                return;
            }
            int burst = Math.max(1, properties.getGenerator().getEventsPerSecond() / 10);
            for (int i = 0; i < burst; i++) {
                int customer = ThreadLocalRandom.current().nextInt(sequences.length);
                String customerId = "customer-" + customer;
                OrderEvent event = new OrderEvent(customerId, sequences[customer]++,
                        ThreadLocalRandom.current().nextLong(100, 10_000));
                template.send(properties.getTopic(), customerId, event.format());
                sent++;
            }
        }

        long sent() {
            return sent;
        }
    }
}
