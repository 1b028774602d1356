/**
 * The implementation behind {@link io.parallelconsumer.ParallelConsumer}: not API, may change without notice.
 */
package io.parallelconsumer.internal;
