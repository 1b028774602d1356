package io.parallelconsumer.benchmarks.drain;

/** One measured drain: how many records, in how long, at what cost. */
record Result(long records, long elapsedNanos, Usage used) {
    double rate() {
        return records / (elapsedNanos / 1e9);
    }
}
