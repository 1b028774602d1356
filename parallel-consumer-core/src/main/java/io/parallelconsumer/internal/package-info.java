/**
 * The implementation behind {@link io.parallelconsumer.ParallelConsumer}: not API, may change without notice. This
 * package assembles the consumer from its roles, each in a package below it: the poller that owns the Kafka consumer
 * ({@code poller}), the work manager that decides what runs next ({@code work}), the engines that run records
 * ({@code engine}), the offset tracker and its commit metadata ({@code offset}), and the tally of what happened
 * ({@code events}). The packages below depend on each other one way only, and never on this one.
 */
package io.parallelconsumer.internal;
