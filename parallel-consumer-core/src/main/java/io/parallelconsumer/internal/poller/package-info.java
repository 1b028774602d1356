/**
 * The poller: the one thread that owns the Kafka consumer, and the parts it runs there - the hand-over of partitions
 * in a rebalance, the offset commits, backpressure, and the watch on the connection to the cluster. Each part sees
 * the work manager only through its role ({@link io.parallelconsumer.internal.work.FetchedWork},
 * {@link io.parallelconsumer.internal.work.CommittableWork}).
 */
package io.parallelconsumer.internal.poller;
