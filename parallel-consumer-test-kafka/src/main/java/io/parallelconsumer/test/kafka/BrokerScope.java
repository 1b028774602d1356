package io.parallelconsumer.test.kafka;

/** How long a test class's broker lives. */
public enum BrokerScope {

    /** One broker for the whole test run, shared by every class that asks for the same settings. */
    RUN,

    /** A broker of the class's own, started before its first test and stopped after its last. */
    CLASS
}
