package io.parallelconsumer.benchmarks.drain;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * For {@code --trace} of a handler that sleeps: where a worker's time went between the start of its first record and
 * the end of its last - sleeping as asked, sleeping longer than asked (the operating system's timers), or outside the
 * handler (the consumer's bookkeeping, waiting for a core, or waiting for work). The gaps between one record and the
 * next on the same thread are counted by length, so that bookkeeping (microseconds) and waiting for work (milliseconds)
 * can be told apart. For an async handler that a timer completes, only how late the timer was.
 */
final class HandlerTimes {

    private static final long[] GAP_BOUNDS_NANOS = {10_000, 50_000, 200_000, 1_000_000, Long.MAX_VALUE};

    private final long askedNanos;
    private final ThreadLocal<long[]> lastEnd = ThreadLocal.withInitial(() -> new long[1]);
    private final LongAdder records = new LongAdder();
    private final LongAdder overNanos = new LongAdder();
    private final LongAdder[] gapNanos = new LongAdder[GAP_BOUNDS_NANOS.length];
    private final LongAdder[] gapCounts = new LongAdder[GAP_BOUNDS_NANOS.length];

    HandlerTimes(long askedNanos) {
        this.askedNanos = askedNanos;
        for (int i = 0; i < GAP_BOUNDS_NANOS.length; i++) {
            gapNanos[i] = new LongAdder();
            gapCounts[i] = new LongAdder();
        }
    }

    /** For a handler that only asks a timer to complete it: how long the timer took, without gaps per thread. */
    void overslept(long tookNanos) {
        records.increment();
        overNanos.add(tookNanos - askedNanos);
    }

    /** Called by the handler with the clock readings around its sleep. */
    void ran(long start, long end) {
        long[] last = lastEnd.get();
        if (last[0] != 0) {
            long gap = start - last[0];
            int bucket = 0;
            while (gap >= GAP_BOUNDS_NANOS[bucket]) {
                bucket++;
            }
            gapNanos[bucket].add(gap);
            gapCounts[bucket].increment();
        }
        last[0] = end;
        records.increment();
        overNanos.add(end - start - askedNanos);
    }

    @Override
    public String toString() {
        long n = Math.max(1, records.sum());
        long gaps = 0;
        for (LongAdder count : gapCounts) {
            gaps += count.sum();
        }
        if (gaps == 0) {
            return String.format(Locale.ROOT, "the timer completed records %.1f us later than asked on average",
                    overNanos.sum() / 1e3 / n);
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "handler slept %.1f us longer than asked on average; gaps between records on a thread "
                        + "(count, average us):", overNanos.sum() / 1e3 / n));
        long lower = 0;
        for (int i = 0; i < GAP_BOUNDS_NANOS.length; i++) {
            long count = gapCounts[i].sum();
            String upper = GAP_BOUNDS_NANOS[i] == Long.MAX_VALUE ? "" : Long.toString(GAP_BOUNDS_NANOS[i] / 1000);
            text.append(String.format(Locale.ROOT, " [%d-%s us) %,d, %.1f;", lower / 1000, upper, count,
                    count == 0 ? 0.0 : gapNanos[i].sum() / 1e3 / count));
            lower = GAP_BOUNDS_NANOS[i];
        }
        return text.toString();
    }
}
