/**
 * Testing parallel consumers and listeners: {@link io.parallelconsumer.test.ParallelConsumerTest} for Spring Boot
 * applications, {@link io.parallelconsumer.test.ParallelListeners} and {@link io.parallelconsumer.test.ConsumerAwait}
 * to wait for what they processed.
 */
package io.parallelconsumer.test;
