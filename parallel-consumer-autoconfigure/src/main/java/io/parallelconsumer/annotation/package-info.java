/**
 * What an application writes: {@link io.parallelconsumer.annotation.ParallelListener}, and the bean post-processor
 * that finds annotated methods, resolves their attributes (placeholders and SpEL) and registers them as endpoints.
 */
package io.parallelconsumer.annotation;
