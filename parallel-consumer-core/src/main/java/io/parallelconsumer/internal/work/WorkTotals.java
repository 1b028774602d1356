package io.parallelconsumer.internal.work;

/**
 * Counts over all partitions of a work manager; {@code alreadyDone} counts the records skipped because a previous
 * owner had completed them.
 */
public record WorkTotals(int incomplete, int queued, int running, int waitingRetry, long alreadyDone) {
}
