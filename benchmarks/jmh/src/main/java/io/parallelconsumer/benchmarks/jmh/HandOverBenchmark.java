package io.parallelconsumer.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.EngineType;
import io.parallelconsumer.Ordering;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.ParallelConsumerOptions;
import io.parallelconsumer.internal.engine.Engines;
import io.parallelconsumer.internal.engine.ExecutionEngine;
import io.parallelconsumer.internal.work.WorkDispatcher;
import io.parallelconsumer.internal.work.WorkManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The control plane's hand-over without Kafka: the benchmark thread plays the poller (adding fetched batches of 500
 * records, round robin over 12 partitions, each with its twelfth of 1,000 keys, pausing at max in flight until the resume mark like the real poller),
 * and an execution engine's threads run a handler that does nothing. One operation is one record going through
 * add, take, run and complete across threads - the part of the no-op drain that is ours and not the Kafka client's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HandOverBenchmark {

    private static final int RECORDS = 200_000;
    private static final int PARTITIONS = 12;
    private static final int BATCH = 500;

    @Param({"KEY"})
    public Ordering ordering;

    @Param({"PLATFORM"})
    public EngineType engine;

    @Param({"256"})
    public int concurrency;

    private WorkManager<String, byte[]> work;
    private ExecutionEngine<String, byte[]> running;
    private ScheduledExecutorService retryTimer;
    private int maxInFlight;
    private int resumeMark;
    private final List<List<ConsumerRecord<String, byte[]>>> batches = new ArrayList<>();
    private final long[] nextOffsets = new long[PARTITIONS];
    private final Random random = new Random(5);
    private final String[] keys = new String[1000];
    private final byte[] value = new byte[100];

    @Setup(Level.Trial)
    public void start() {
        ParallelConsumerOptions<String, byte[]> options = ParallelConsumer.<String, byte[]>builder()
                .consumerProperty("bootstrap.servers", "unused:9092")
                .consumerProperty("group.id", "hand-over")
                .keyDeserializer(new StringDeserializer())
                .valueDeserializer(new ByteArrayDeserializer())
                .topics("bench")
                .ordering(ordering)
                .engine(engine)
                .concurrency(concurrency)
                .handler(record -> { })
                .options();
        maxInFlight = options.maxInFlight();
        resumeMark = (int) (maxInFlight * options.resumeRatio());
        work = new WorkManager<>(ordering, System::nanoTime, options.concurrency()); // as KafkaParallelConsumer does
        for (int p = 0; p < PARTITIONS; p++) {
            work.assign(new TopicPartition("bench", p));
        }
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "key-" + i;
        }
        retryTimer = Executors.newSingleThreadScheduledExecutor();
        running = Engines.create(options);
        running.start(new WorkDispatcher<>(work, options, retryTimer, work.counters(), error -> { }));
    }

    @Setup(Level.Invocation)
    public void fetch() {
        batches.clear();
        for (int b = 0; b < RECORDS / BATCH; b++) {
            int partition = b % PARTITIONS;
            List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                // As a producer's partitioner would: each key lives in one partition.
                int key = random.nextInt(keys.length / PARTITIONS) * PARTITIONS + partition;
                batch.add(new ConsumerRecord<>("bench", partition, nextOffsets[partition]++, keys[key], value));
            }
            batches.add(batch);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void drain() throws InterruptedException {
        for (List<ConsumerRecord<String, byte[]>> batch : batches) {
            if (work.incomplete() >= maxInFlight) {
                awaitIncompleteAtMost(resumeMark);
            }
            ConsumerRecord<String, byte[]> first = batch.get(0);
            work.add(new TopicPartition(first.topic(), first.partition()), batch);
        }
        awaitIncompleteAtMost(0);
    }

    private void awaitIncompleteAtMost(int mark) throws InterruptedException {
        CountDownLatch reached = new CountDownLatch(1);
        work.onIncompleteAtMost(mark, reached::countDown);
        reached.await();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        work.stopDispatching();
        running.awaitTermination(java.time.Duration.ofSeconds(5));
        retryTimer.shutdownNow();
    }
}
