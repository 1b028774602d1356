/**
 * What happens to records, commits, rebalances and backpressure, as the rest of the consumer reports it: tallied for
 * snapshots and told to the application's observers.
 */
package io.parallelconsumer.internal.events;
