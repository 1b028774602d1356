/** Micrometer meters of every listener: lag, gaps, blocking offset and duration, records, latency, commits. */
package io.parallelconsumer.spring.metrics;
