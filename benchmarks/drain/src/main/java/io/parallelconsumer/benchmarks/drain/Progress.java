package io.parallelconsumer.benchmarks.drain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.PartitionSnapshot;

/** When each tenth of the drain was done, and each hundredth of the last tenth: where a slow run loses time. */
final class Progress {
    private final long records;
    private final long[] reachedNanos = new long[101];
    private int next = 1;
    private final long[] lastNanos = new long[4];
    private static final double[] LAST = { 0.995, 0.999, 0.9995, 0.9999 };
    private int nextLast;

    Progress(long records) {
        this.records = records;
    }

    void sample(long firstNanos, long done) {
        while (next <= 100 && done >= records * next / 100 && firstNanos != 0) {
            reachedNanos[next++] = System.nanoTime() - firstNanos;
        }
        while (nextLast < LAST.length && done >= records * LAST[nextLast] && firstNanos != 0) {
            lastNanos[nextLast++] = System.nanoTime() - firstNanos;
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < next; i++) {
            if (i % 10 == 0 || i > 90) {
                out.append(i).append("%=").append(reachedNanos[i] / 1_000_000).append(' ');
            }
            if (i == 99) {
                for (int j = 0; j < nextLast; j++) {
                    out.append(LAST[j] * 100).append("%=").append(lastNanos[j] / 1_000_000).append(' ');
                }
            }
        }
        return out.toString().trim();
    }

    /**
     * For {@code --trace}: per partition, how many records were left to fetch and how many were fetched but not
     * completed, and whether fetching was paused - how evenly the consumer's budget of records in flight is spread.
     */
    static String partitionsAt(ParallelConsumer<?, ?> consumer, double fraction, long firstNanos) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "  at %.1f %% (%,d ms), per partition left to fetch/incomplete:", fraction * 100,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstNanos)));
        List<PartitionSnapshot> partitions = new ArrayList<>(consumer.snapshot().partitions());
        partitions.sort(Comparator.comparingInt(PartitionSnapshot::partition));
        for (PartitionSnapshot partition : partitions) {
            String toFetch = partition.logEndOffset() < 0 ? "?"
                    : Long.toString(partition.logEndOffset() - 1 - partition.highestFetchedOffset());
            line.append(' ').append(partition.partition()).append(' ').append(toFetch).append('/')
                    .append(partition.incomplete()).append(partition.paused() ? " paused," : ",");
        }
        line.setLength(line.length() - 1);
        return line.toString();
    }

    /**
     * Waits before a traced run looks at its drain's count again: a millisecond, but only a tenth of one over the
     * last 2 % of the drain, so that the last hundredths are timed finely without looking that often all along.
     */
    static void awaitNextLook(long left, long records) throws InterruptedException {
        if (left * 50 > records) {
            Thread.sleep(1);
        }
        else {
            LockSupport.parkNanos(100_000);
        }
    }
}
