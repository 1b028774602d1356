/**
 * Dead-letter topics for parallel listeners: the producer of dead letters, from the application's Kafka producer
 * settings with byte serializers, and the check that a dead-letter topic exists before the first send.
 */
package io.parallelconsumer.spring.deadletter;
