/**
 * Micrometer meters of parallel consumers: lag, gaps, blocking offset and duration, records, latency, commits. Needs
 * {@code micrometer-core} (an optional dependency of the core); nothing of Spring.
 */
package io.parallelconsumer.micrometer;
