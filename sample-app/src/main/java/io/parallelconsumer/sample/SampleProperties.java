package io.parallelconsumer.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/** Settings of the demo, under {@code sample.*}. */
@Component
@ConfigurationProperties("sample")
class SampleProperties {

    /** Topic of the order events. */
    private String topic = "orders";

    /** Partitions of the topic, when the demo creates it. */
    private int partitions = 12;

    /** Distinct customers (keys). */
    private int customers = 1000;

    /** Time each event spends in the simulated slow service. */
    private Duration simulatedIo = Duration.ofMillis(5);

    /**
     * Topic on which each processed event is answered with an order-accepted event that carries the event's headers
     * (a correlation id, for one); none when unset.
     */
    private String acceptedTopic;

    private final Generator generator = new Generator();

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public int getCustomers() {
        return customers;
    }

    public void setCustomers(int customers) {
        this.customers = customers;
    }

    public Duration getSimulatedIo() {
        return simulatedIo;
    }

    public void setSimulatedIo(Duration simulatedIo) {
        this.simulatedIo = simulatedIo;
    }

    public String getAcceptedTopic() {
        return acceptedTopic;
    }

    public void setAcceptedTopic(String acceptedTopic) {
        this.acceptedTopic = acceptedTopic;
    }

    public Generator getGenerator() {
        return generator;
    }

    /** The built-in producer of order events. */
    public static class Generator {

        /** Whether the demo produces order events itself. */
        private boolean enabled = true;

        /** Events produced per second. */
        private int eventsPerSecond = 2000;

        /** Stop after this many events; 0 for no limit. */
        private long maxEvents;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getEventsPerSecond() {
            return eventsPerSecond;
        }

        public void setEventsPerSecond(int eventsPerSecond) {
            this.eventsPerSecond = eventsPerSecond;
        }

        public long getMaxEvents() {
            return maxEvents;
        }

        public void setMaxEvents(long maxEvents) {
            this.maxEvents = maxEvents;
        }
    }
}
