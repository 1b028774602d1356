package io.parallelconsumer.validation.performance;

import java.util.List;

/**
 * One performance test's load.
 *
 * @param rate records per second sent while the consumer runs; 0 for a backlog built before it starts
 * @param seconds how long the live load lasts
 * @param backlog records produced before the consumer starts
 * @param valueBytes bytes of each record's value
 */
public record Load(String name, String description, int rate, int seconds, long backlog, int valueBytes) {

    static final int FIVE_KB = 5 * 1024;

    /** The tests, full size: what the committed baseline is measured with. */
    public static List<Load> full() {
        return List.of(
                new Load("throughput", "1,000 records/s for 60 s, 5 KB values", 1000, 60, 0, FIVE_KB),
                new Load("burst", "5,000 records/s for 30 s, 5 KB values", 5000, 30, 0, FIVE_KB),
                new Load("sustained", "500 records/s for 5 minutes, 5 KB values", 500, 300, 0, FIVE_KB),
                new Load("snapshot", "a backlog of 895,000 records of 1 KB drained by a fresh group", 0, 0, 895_000,
                        1024),
                new Load("startup", "process start to the first record processed, with 1,000 records waiting", 0,
                        0, 1_000, 1024));
    }

    /** The same tests, small enough to try the suite out in a few minutes; not a baseline. */
    public static List<Load> quick() {
        return List.of(
                new Load("throughput", "1,000 records/s for 15 s, 5 KB values", 1000, 15, 0, FIVE_KB),
                new Load("burst", "5,000 records/s for 10 s, 5 KB values", 5000, 10, 0, FIVE_KB),
                new Load("sustained", "500 records/s for 30 s, 5 KB values", 500, 30, 0, FIVE_KB),
                new Load("snapshot", "a backlog of 50,000 records of 1 KB drained by a fresh group", 0, 0, 50_000,
                        1024),
                new Load("startup", "process start to the first record processed, with 1,000 records waiting", 0,
                        0, 1_000, 1024));
    }

    boolean live() {
        return rate > 0;
    }
}
