package io.parallelconsumer.test.kafka;

/** Where a test broker comes from, in the order they are looked for. */
public enum BrokerSource {

    /** A running cluster named by {@value BrokerSettings#BOOTSTRAP_SERVERS_PROPERTY} or its environment variable. */
    EXTERNAL,

    /** A Testcontainers Kafka container, when asked for and Docker is there. */
    CONTAINER,

    /** A KRaft broker in this JVM (spring-kafka-test), when nothing else is asked for. */
    EMBEDDED
}
