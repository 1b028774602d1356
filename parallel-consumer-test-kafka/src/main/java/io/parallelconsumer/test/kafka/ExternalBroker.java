package io.parallelconsumer.test.kafka;

/** A cluster the tests did not start, and leave running. */
record ExternalBroker(String bootstrapServers) implements KafkaBroker {

    @Override
    public BrokerSource source() {
        return BrokerSource.EXTERNAL;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "external cluster at " + bootstrapServers;
    }
}
