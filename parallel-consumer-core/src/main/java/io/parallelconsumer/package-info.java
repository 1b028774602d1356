/**
 * Public API of the parallel consumer: build one with {@link io.parallelconsumer.ParallelConsumer#builder()}.
 */
package io.parallelconsumer;
