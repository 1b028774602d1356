package io.parallelconsumer.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.internal.work.WorkItem;
import io.parallelconsumer.internal.work.WorkManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler's per-record cost on one thread: the poller adding a fetched batch, workers taking each record
 * and reporting it complete - the work manager's whole bookkeeping (shards, ready queue, offsets, counts) for one
 * record, without the thread hand-offs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WorkManagerBenchmark {

    private static final int BATCH = 500;
    private static final TopicPartition TP = new TopicPartition("bench", 0);

    @Param({"KEY", "PARTITION", "UNORDERED"})
    public Ordering ordering;

    @Param({"1000"})
    public int keys;

    /** As production passes it: the consumer's concurrency, which turns on longest-queue-first placement. */
    @Param({"256"})
    public int concurrency;

    private WorkManager<String, byte[]> work;
    private String[] keyNames;
    private final Random random = new Random(11);
    private long nextOffset;
    private final List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(BATCH);
    private final List<WorkItem<String, byte[]>> taken = new ArrayList<>(BATCH);
    private final byte[] value = new byte[100];

    @Setup(Level.Trial)
    public void setUp() {
        work = new WorkManager<>(ordering, System::nanoTime, concurrency);
        work.assign(TP);
        keyNames = new String[keys];
        for (int i = 0; i < keys; i++) {
            keyNames[i] = "key-" + i;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int addTakeComplete() {
        batch.clear();
        for (int i = 0; i < BATCH; i++) {
            batch.add(new ConsumerRecord<>("bench", 0, nextOffset++, keyNames[random.nextInt(keys)], value));
        }
        work.add(TP, batch);
        int done = 0;
        while (done < BATCH) {
            // Take what may run now (as idle workers would), then complete it all.
            taken.clear();
            WorkItem<String, byte[]> item;
            while ((item = work.poll()) != null) {
                taken.add(item);
            }
            for (WorkItem<String, byte[]> running : taken) {
                work.complete(running);
            }
            done += taken.size();
        }
        return done;
    }
}
