/**
 * The poller: the one thread that owns the Kafka consumer, with the backpressure and commit decisions it applies.
 */
package io.parallelconsumer.internal.poller;
