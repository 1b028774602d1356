/**
 * Dead-letter topics: a failure policy that publishes the records the handler gave up on, with their original bytes
 * and the headers Spring Kafka's dead-letter tooling reads, and commits them only once the broker has them.
 */
package io.parallelconsumer.deadletter;
