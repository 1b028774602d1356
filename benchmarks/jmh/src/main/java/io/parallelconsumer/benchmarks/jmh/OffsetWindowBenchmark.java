package io.parallelconsumer.benchmarks.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.internal.offset.OffsetWindow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The offset tracker's per-record cost: one {@code add} when a record is fetched plus one {@code complete} when it
 * is done, with completions in offset order or shuffled within a window of in-flight records (as many workers
 * finishing out of order), and reading the commit offset once per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OffsetWindowBenchmark {

    private static final int BATCH = 1024;

    private OffsetWindow window;
    private long nextOffset;
    private final long[] handles = new long[BATCH];
    private int[] shuffled;

    @Setup
    public void setUp() {
        window = new OffsetWindow();
        shuffled = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            shuffled[i] = i;
        }
        Random random = new Random(7);
        for (int i = BATCH - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = swap;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long addAndCompleteInOrder() {
        for (int i = 0; i < BATCH; i++) {
            handles[i] = window.add(nextOffset++, 0);
        }
        for (int i = 0; i < BATCH; i++) {
            window.complete(handles[i], 0);
        }
        return window.commitOffset();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long addAndCompleteShuffled() {
        for (int i = 0; i < BATCH; i++) {
            handles[i] = window.add(nextOffset++, 0);
        }
        for (int i = 0; i < BATCH; i++) {
            window.complete(handles[shuffled[i]], 0);
        }
        return window.commitOffset() + window.gaps();
    }
}
