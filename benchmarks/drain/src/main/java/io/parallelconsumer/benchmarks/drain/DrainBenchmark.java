package io.parallelconsumer.benchmarks.drain;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.EngineType;
import io.parallelconsumer.Ordering;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.ParallelConsumerBuilder;
import io.parallelconsumer.PartitionSnapshot;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drains a backlog with a plain single-threaded {@link KafkaConsumer} loop and with the parallel consumer, on the
 * same broker in the same run, and prints what each reached. See {@code --help}.
 */
public final class DrainBenchmark {

    /** How far into a drain {@code --trace} prints where each partition stands. */
    private static final double[] PARTITION_MARKS = { 0.5, 0.9, 0.98, 0.999 };
    /**
     * What the parallel consumer is to reach on the default workload with a handler that does nothing: this share
     * of the plain loop's rate in the same run.
     */
    private static final double NOOP_TARGET_PERCENT = 70;
    /** And with a handler that sleeps 5 ms at concurrency 256: this share of the ceiling, concurrency / sleep time. */
    private static final double SLEEP_TARGET_PERCENT = 97;

    private final Options options;
    private final String bootstrap;
    private final Admin admin;
    private final RunSummary summary = new RunSummary();
    /** The processes whose threads {@code --trace} accounts for, by the label their thread names get. */
    private final Map<String, Long> tracedProcesses = new HashMap<>();
    private int topics;

    private DrainBenchmark(Options options, String bootstrap, long brokerPid) {
        this.options = options;
        this.bootstrap = bootstrap;
        tracedProcesses.put("", ProcessHandle.current().pid());
        if (brokerPid > 0) {
            tracedProcesses.put("broker:", brokerPid);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(props);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        BrokerProcess broker = options.bootstrapServers == null ? BrokerProcess.start("1g") : null;
        try {
            DrainBenchmark benchmark = new DrainBenchmark(options,
                    broker != null ? broker.bootstrapServers() : options.bootstrapServers,
                    broker != null ? broker.pid() : -1);
            benchmark.run();
        }
        finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "# Drain benchmark: %,d records, %d partitions, %,d keys, %d-byte values, "
                + "%d cores, Java %s%n%n", options.records, options.partitions, options.keys, options.valueBytes,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        warmUp();
        System.out.println("| scenario | consumer | records | seconds | records/s | reference | ratio | CPU s "
                + "| JIT ms | GC ms | steal ms |");
        System.out.println("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        for (String scenario : options.scenarios) {
            switch (scenario) {
                case "noop" -> noop();
                case "sleep" -> sleep();
                case "memory" -> memory();
                default -> throw new IllegalArgumentException("Unknown scenario " + scenario);
            }
        }
        String table = summary.table();
        if (!table.isEmpty()) {
            System.out.printf("%n## Summary%n%n%s", table);
        }
        admin.close();
    }

    /**
     * Drains a backlog with each consumer, round after round, until the JIT compilers are nearly done (under 5 % of
     * a round's time) or the rounds run out. Each new consumer runs cold code of the Kafka client (configuration,
     * metrics, JMX) that the compilers take up round after round; a measured run of 50 to 100 ms that shares two
     * cores with them measures the compilers as much as the consumer.
     */
    private void warmUp() throws Exception {
        if (options.warmupRecords <= 0) {
            return;
        }
        String topic = produceBacklog(options.warmupRecords);
        warmUpRounds("warm-up round", options.warmupRounds, 5, () -> {
            drainPlain(topic, options.warmupRecords, false);
            for (String engine : options.engines) {
                drainParallel(topic, options.warmupRecords, engine, options.concurrency, 0, false);
                drainParallel(topic, options.warmupRecords / 20, engine, options.concurrency, 1_000_000, false);
            }
        });
        System.out.println();
    }

    /**
     * Runs {@code round} until the JIT compilers worked under {@code quietPercent} % of one round's time, at most
     * {@code maxRounds} times, printing what each round took.
     */
    private static void warmUpRounds(String label, int maxRounds, int quietPercent, WarmUpRound round)
            throws Exception {
        for (int i = 1; i <= maxRounds; i++) {
            long jitBefore = jitMillis();
            long start = System.nanoTime();
            round.run();
            long roundMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long jit = jitMillis() - jitBefore;
            System.out.printf(Locale.ROOT, "%s %d: %,d ms, of which the JIT compilers worked %,d ms%n", label, i,
                    roundMillis, jit);
            if (jit * 100 < roundMillis * quietPercent) {
                return;
            }
        }
    }

    @FunctionalInterface
    private interface WarmUpRound {
        void run() throws Exception;
    }

    /** A handler that does nothing: how much of a plain consumer's drain rate is left. */
    private void noop() throws Exception {
        String topic = produceBacklog(options.records);
        for (int run = 0; run < options.repeat; run++) {
            Result baseline = drainPlain(topic, options.records, true);
            print("noop", "plain KafkaConsumer loop", baseline, "itself", baseline.rate(), Double.NaN);
            for (String engine : options.engines) {
                Result result = drainParallel(topic, options.records, engine, options.concurrency, 0, true);
                print("noop", "parallel " + engine + " x" + options.concurrency, result,
                        String.format(Locale.ROOT, "plain loop %,.0f/s", baseline.rate()), baseline.rate(),
                        NOOP_TARGET_PERCENT);
            }
        }
    }

    /** A handler that sleeps: how close to the ceiling of concurrency / sleep time. */
    private void sleep() throws Exception {
        String topic = produceBacklog(options.records);
        double ceiling = Math.min(options.concurrency, options.keys) / (options.sleepMillis / 1000.0);
        long sleepNanos = TimeUnit.MILLISECONDS.toNanos(options.sleepMillis);
        warmUpSlowHandler(topic, sleepNanos);
        for (int run = 0; run < options.repeat; run++) {
            print("sleep " + options.sleepMillis + " ms", options.concurrency + " threads only sleeping, no Kafka",
                    sleepOnly(options.records), String.format(Locale.ROOT, "ceiling %,.0f/s", ceiling), ceiling,
                    Double.NaN);
            for (String engine : options.engines) {
                Result result = drainParallel(topic, options.records, engine, options.concurrency, sleepNanos, true);
                print("sleep " + options.sleepMillis + " ms", "parallel " + engine + " x" + options.concurrency,
                        result, String.format(Locale.ROOT, "ceiling %,.0f/s", ceiling), ceiling, SLEEP_TARGET_PERCENT);
            }
        }
    }

    /**
     * Drains the sleep scenario's backlog with each engine, unmeasured, until the JIT compilers worked under 2 % of a
     * round (at most {@code --sleep-warmup-rounds} rounds). The general warm-up drains fast records; a slow
     * handler takes other paths - hundreds of threads parking and waking, the placement of slow records, the timer of
     * async stages - and in the broker too, whose compilations would otherwise fall into the measured runs: on two
     * cores, half a second of C2 during a four-second run cost it one to two points of the ceiling.
     */
    private void warmUpSlowHandler(String topic, long sleepNanos) throws Exception {
        if (options.warmupRecords <= 0) {
            return;
        }
        warmUpRounds("sleep warm-up round", options.sleepWarmupRounds, 2, () -> {
            for (String engine : options.engines) {
                drainParallel(topic, options.records, engine, options.concurrency, sleepNanos, false);
            }
        });
    }

    /**
     * The machine's own limit for the sleep scenario: as many sleeps as records, on as many platform threads as the
     * concurrency, with nothing else to do - what a consumer would reach if it cost nothing. A sleep lasts longer
     * than asked (timer slack, waking up, waiting for a core), and more so the busier the machine is.
     */
    private Result sleepOnly(long sleeps) throws InterruptedException {
        Usage before = Usage.now();
        AtomicLong left = new AtomicLong(sleeps);
        LongAdder done = new LongAdder();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.concurrency; i++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    while (left.getAndDecrement() > 0) {
                        Thread.sleep(options.sleepMillis);
                        done.increment();
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }, "sleep-only-" + i);
            thread.start();
            threads.add(thread);
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(done.sum(), System.nanoTime() - start, Usage.now().since(before));
    }

    /**
     * A handler 100 times slower than the fetch rate on a large backlog, for a while: heap and in-flight records must
     * stay bounded and the group membership must hold.
     */
    private void memory() throws Exception {
        String topic = produceBacklog(options.memoryRecords);
        Result fetch = drainPlain(topic, options.records, true);
        double handlerRate = fetch.rate() / 100;
        long sleepNanos = (long) (options.concurrency / handlerRate * 1e9);
        System.out.printf(Locale.ROOT, "%nmemory: plain fetch rate %,.0f/s, so the handler runs at %,.0f/s: "
                + "%d workers sleeping %.1f ms each, for %d s over a %,d-record backlog%n", fetch.rate(), handlerRate,
                options.concurrency, sleepNanos / 1e6, options.memorySeconds, options.memoryRecords);
        LongAdder processed = new LongAdder();
        ParallelConsumer<String, byte[]> consumer = builder(options.engines.get(0), options.concurrency)
                .consumerProperties(consumerProps())
                .topics(topic)
                .handler(record -> {
                    TimeUnit.NANOSECONDS.sleep(sleepNanos);
                    processed.increment();
                })
                .build();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        long peakAfterGc = 0;
        long peakUsed = 0;
        int peakInFlight = 0;
        int maxEpoch = 0;
        boolean everNotRunning = false;
        consumer.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.memorySeconds);
        while (System.nanoTime() < end) {
            Thread.sleep(250);
            long afterGc = 0;
            long used = 0;
            for (MemoryPoolMXBean pool : heapPools) {
                used += pool.getUsage().getUsed();
                if (pool.getCollectionUsage() != null) {
                    afterGc += pool.getCollectionUsage().getUsed();
                }
            }
            peakAfterGc = Math.max(peakAfterGc, afterGc);
            peakUsed = Math.max(peakUsed, used);
            ConsumerSnapshot snapshot = consumer.snapshot();
            peakInFlight = Math.max(peakInFlight, snapshot.inFlight());
            for (PartitionSnapshot partition : snapshot.partitions()) {
                maxEpoch = Math.max(maxEpoch, partition.epoch());
            }
            everNotRunning |= snapshot.state() != ConsumerState.RUNNING;
        }
        ConsumerSnapshot last = consumer.snapshot();
        consumer.close(Duration.ofSeconds(30));
        System.out.printf(Locale.ROOT, "memory: processed %,d records in %d s (%,.0f/s); peak in flight %,d (max %,d);"
                + " peak heap used %.1f MB, peak heap after GC %.1f MB (max heap %.0f MB); highest partition epoch %d "
                + "(1 = never rebalanced); state stayed RUNNING: %s; backpressure pauses %d%n%n", processed.sum(),
                options.memorySeconds, processed.sum() / (double) options.memorySeconds, peakInFlight,
                last.maxInFlight(), peakUsed / 1e6, peakAfterGc / 1e6, Runtime.getRuntime().maxMemory() / 1e6,
                maxEpoch, !everNotRunning, last.counters().backpressurePauses());
    }

    /**
     * Drains with a plain loop on a thread of its own, new for each run like the parallel consumer's poller: the JDK
     * keeps a cache of direct buffers for socket reads per thread, and a loop on a thread that has read before
     * starts with buffers that a new consumer thread must first allocate and fault in (several milliseconds for the
     * broker's 12 MB responses, a tenth of a run here).
     */
    private Result drainPlain(String topic, long records, boolean measured) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "plain-loop"));
        try {
            return thread.submit(() -> drainPlainHere(topic, records, measured)).get();
        }
        finally {
            thread.shutdown();
        }
    }

    /**
     * The plain loop. It joins the group with its partitions paused and, if {@code measured}, starts once the JIT
     * compilers have finished what creating and joining queued (see {@link #awaitQuietJit}); it is timed from the
     * first record.
     */
    private Result drainPlainHere(String topic, long records, boolean measured) throws InterruptedException {
        long seen = 0;
        long first = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps())) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    consumer.pause(partitions); // before this poll fetches anything from them
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }
            });
            while (consumer.assignment().size() < options.partitions) {
                consumer.poll(Duration.ofMillis(100));
            }
            if (measured) {
                awaitQuietJit();
            }
            Usage before = Usage.now(); // from the resume on, like the trace
            RunTrace trace = new RunTrace(before);
            consumer.resume(consumer.assignment());
            Progress progress = new Progress(records);
            while (seen < records) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (first == 0 && !batch.isEmpty()) {
                    first = System.nanoTime();
                }
                for (ConsumerRecord<String, byte[]> record : batch) {
                    seen++;
                }
                if (options.trace) {
                    progress.sample(first, seen);
                }
            }
            long elapsed = System.nanoTime() - first;
            if (options.trace) {
                System.out.println("  plain loop progress (ms after the first record): " + progress);
                System.out.println(trace.ended());
            }
            consumer.commitSync();
            return new Result(seen, elapsed, Usage.now().since(before));
        }
    }

    /**
     * Drains with the parallel consumer, on its own group; joins paused and starts like {@link #drainPlain}, timed
     * from the first record that runs.
     */
    private Result drainParallel(String topic, long records, String engine, int concurrency, long sleepNanos,
            boolean measured) throws Exception {
        DrainCount count = new DrainCount(records);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        HandlerTimes times = options.trace && sleepNanos > 0 ? new HandlerTimes(sleepNanos) : null;
        ParallelConsumerBuilder<String, byte[]> builder = builder(engine, concurrency)
                .consumerProperties(consumerProps())
                .topics(topic);
        if (engine.equals("async")) {
            builder.asyncHandler(record -> {
                count.started();
                if (sleepNanos == 0) {
                    count.finished();
                    return CompletableFuture.completedFuture(null);
                }
                CompletableFuture<Void> future = new CompletableFuture<>();
                long scheduled = times != null ? System.nanoTime() : 0;
                timer.schedule(() -> {
                    if (times != null) {
                        times.overslept(System.nanoTime() - scheduled);
                    }
                    count.finished();
                    future.complete(null);
                }, sleepNanos, TimeUnit.NANOSECONDS);
                return future;
            });
        }
        else {
            builder.handler(record -> {
                count.started();
                if (times != null) {
                    long start = System.nanoTime();
                    Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
                    times.ran(start, System.nanoTime());
                }
                else if (sleepNanos > 0) {
                    Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
                }
                count.finished();
            });
        }
        ParallelConsumer<String, byte[]> consumer = builder.build();
        consumer.pause();
        consumer.start();
        try {
            while (consumer.snapshot().partitions().size() < options.partitions) {
                failIfFailed(consumer);
                Thread.sleep(10);
            }
            if (measured) {
                awaitQuietJit();
            }
            Usage before = Usage.now(); // from the resume on, like the trace
            RunTrace trace = new RunTrace(before);
            consumer.resume();
            if (options.trace) {
                traceUntilEnd(consumer, count, records);
            }
            while (!count.awaitEnd(100)) {
                failIfFailed(consumer);
            }
            Result result = new Result(count.done(), count.elapsedNanos(), Usage.now().since(before));
            if (options.trace) {
                System.out.println(trace.ended());
                if (times != null) {
                    System.out.println("  " + times);
                }
            }
            return result;
        }
        finally {
            // also when the run failed: the poller is not a daemon thread and would keep the JVM alive
            consumer.close(Duration.ofSeconds(30));
            timer.shutdownNow();
        }
    }

    /**
     * For {@code --trace}: looks at the drain's count until it ends, to print when each hundredth was done and where
     * the partitions stood at a few marks. The looks cost the measured process CPU (see {@link DrainCount}), so
     * untraced runs only wait for the end.
     */
    private static void traceUntilEnd(ParallelConsumer<?, ?> consumer, DrainCount count, long records)
            throws InterruptedException {
        Progress progress = new Progress(records);
        int mark = 0;
        for (long seen = 0; seen < records; ) {
            awaitNextLook(records - seen, records);
            seen = count.done();
            progress.sample(count.firstNanos(), seen);
            if (mark < PARTITION_MARKS.length && seen >= PARTITION_MARKS[mark] * records) {
                System.out.println(partitionsAt(consumer, PARTITION_MARKS[mark++], count.firstNanos()));
            }
            failIfFailed(consumer);
        }
        System.out.println("  progress (ms after the first record): " + progress + "; backpressure pauses "
                + consumer.snapshot().counters().backpressurePauses());
    }

    /**
     * For {@code --trace}: per partition, how many records were left to fetch and how many were fetched but not
     * completed, and whether fetching was paused - how evenly the consumer's budget of records in flight is spread.
     */
    private static String partitionsAt(ParallelConsumer<?, ?> consumer, double fraction, long firstNanos) {
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

    private static void failIfFailed(ParallelConsumer<?, ?> consumer) {
        if (consumer.state() == ConsumerState.FAILED) {
            throw new IllegalStateException("Consumer failed", consumer.snapshot().failure());
        }
    }

    /**
     * Waits until no compilation has finished for 200 ms (at most five seconds), so that a measured run does not
     * share the cores with compilations that creating its consumer queued.
     */
    private static void awaitQuietJit() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long last = jitMillis();
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            long now = jitMillis();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    /** Time the JIT compilers have spent so far, added up over their threads. */
    private static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /**
     * For {@code --trace}: what the JIT compilers and each group of threads did from just before a run's consumer
     * resumes (reading /proc takes milliseconds, too long for the run's own threads once it has started).
     */
    private final class RunTrace {
        /** What the run's row counts from; its JIT milliseconds are the trace's too. */
        private final Usage start;
        private final ThreadCpu cpuAtStart;

        RunTrace(Usage start) {
            this.start = start;
            cpuAtStart = options.trace ? ThreadCpu.read(tracedProcesses) : null;
        }

        String ended() {
            return "  from the resume on: JIT compilers " + (jitMillis() - start.jitMillis) + " ms; threads "
                    + "ran/waited for a core (ms)/were preempted: "
                    + ThreadCpu.read(tracedProcesses).since(cpuAtStart);
        }
    }

    /**
     * Waits before a traced run looks at its drain's count again: a millisecond, but only a tenth of one over the
     * last 2 % of the drain, so that the last hundredths are timed finely without looking that often all along.
     */
    private static void awaitNextLook(long left, long records) throws InterruptedException {
        if (left * 50 > records) {
            Thread.sleep(1);
        }
        else {
            LockSupport.parkNanos(100_000);
        }
    }

    /** When each tenth of the drain was done, and each hundredth of the last tenth: where a slow run loses time. */
    private static final class Progress {
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
    }

    private ParallelConsumerBuilder<String, byte[]> builder(String engine, int concurrency) {
        ParallelConsumerBuilder<String, byte[]> builder = ParallelConsumer.<String, byte[]>builder()
                // Short, so that Linux's 15-character thread names keep the poller and the workers apart (--trace)
                .name("d-" + engine)
                .ordering(Ordering.valueOf(options.ordering))
                .concurrency(concurrency);
        if (options.maxInFlight > 0) {
            builder.maxInFlight(options.maxInFlight);
        }
        if (!engine.equals("async")) {
            builder.engine(EngineType.valueOf(engine.toUpperCase(Locale.ROOT)));
        }
        return builder;
    }

    private Map<String, Object> consumerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "drain-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.putAll(options.consumerProperties);
        return props;
    }

    private String produceBacklog(long records) throws Exception {
        String topic = "drain-" + (++topics) + "-" + System.currentTimeMillis();
        admin.createTopics(List.of(new NewTopic(topic, options.partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        awaitLeaders(topic);
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // Idempotent batches of a freshly created topic were seen to fail with OUT_OF_ORDER_SEQUENCE_NUMBER on this
        // broker; one request in flight keeps the order without sequence numbers.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        Random random = new Random(1);
        String[] keys = new String[options.keys];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "key-" + i;
        }
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < records; i++) {
                byte[] value = new byte[options.valueBytes];
                random.nextBytes(value);
                producer.send(new ProducerRecord<>(topic, keys[random.nextInt(keys.length)], value),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records could not be produced to " + topic);
        }
        return topic;
    }

    /** Producing before every partition has a leader makes the first batches fail. */
    private void awaitLeaders(String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            boolean ready = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .stream().allMatch(info -> info.leader() != null && info.leader().id() >= 0);
            if (ready) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Partitions of " + topic + " have no leader after 30 s");
    }

    /**
     * Prints a measured run's row and notes it for the summary.
     * @param targetPercent the ratio the run should reach, or {@code NaN} for a reference row
     */
    private void print(String scenario, String consumer, Result result, String reference, double referenceRate,
            double targetPercent) {
        double ratio = 100 * result.rate() / referenceRate;
        String steal = result.used.stealMillis < 0 ? "-"
                : String.format(Locale.ROOT, "%,d", result.used.stealMillis);
        String row = String.format(Locale.ROOT,
                "| %s | %s | %,d | %.2f | %,.0f | %s | %.1f %% | %.1f | %,d | %,d | %s |", scenario, consumer,
                result.records, result.elapsedNanos / 1e9, result.rate(), reference, ratio,
                result.used.cpuNanos / 1e9, result.used.jitMillis, result.used.gcMillis, steal);
        summary.add(scenario, consumer, ratio, result.rate(), targetPercent);
        System.out.println(row);
    }

    /**
     * What this JVM spent: CPU over all its threads, the part of it the JIT compilers worked, and how long its
     * garbage collectors report having worked - shown with each run, since compilations and collections that fall
     * into a run take cores from it, and a collection pause stops it outright: here 1.4 to 21 ms (the 12 MB buffers
     * that fetch responses are read into often start one), a large share of a 40 to 100 ms no-op drain. Also how
     * long the hypervisor gave this virtual machine's CPUs to others ({@code steal}), summed over the CPUs: time the
     * run's threads wanted a core and no process here could have it, which no setting of ours explains.
     */
    private record Usage(long cpuNanos, long jitMillis, long gcMillis, long stealMillis) {
        /** Linux's {@code USER_HZ}: /proc/stat counts in hundredths of a second on every common architecture. */
        private static final long TICKS_PER_SECOND = 100;

        static Usage now() {
            return new Usage(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime(), DrainBenchmark.jitMillis(), gcMillisSoFar(), stealMillisSoFar());
        }

        /**
         * Steal time so far, from the first line of /proc/stat ({@code cpu user nice system idle iowait irq softirq
         * steal ...}), in steps of 10 ms; -1 where there is no such file.
         */
        private static long stealMillisSoFar() {
            try (BufferedReader stat = Files.newBufferedReader(Path.of("/proc/stat"))) {
                String[] fields = stat.readLine().trim().split("\\s+");
                return Long.parseLong(fields[8]) * 1000 / TICKS_PER_SECOND;
            }
            catch (IOException | RuntimeException unavailable) {
                return -1;
            }
        }

        /** Collection time so far, summed over this JVM's collectors as their MXBeans report it (G1: mostly pauses). */
        private static long gcMillisSoFar() {
            long millis = 0;
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                millis += Math.max(0, collector.getCollectionTime());
            }
            return millis;
        }

        Usage since(Usage before) {
            return new Usage(cpuNanos - before.cpuNanos, jitMillis - before.jitMillis, gcMillis - before.gcMillis,
                    stealMillis < 0 || before.stealMillis < 0 ? -1 : stealMillis - before.stealMillis);
        }
    }

    private record Result(long records, long elapsedNanos, Usage used) {
        double rate() {
            return records / (elapsedNanos / 1e9);
        }
    }

    /** Command-line options. */
    static final class Options {
        List<String> scenarios = List.of("noop", "sleep");
        List<String> engines = List.of("platform");
        long records = 200_000;
        long memoryRecords = 1_000_000;
        long warmupRecords = 200_000;
        int warmupRounds = 8;
        int sleepWarmupRounds = 3;
        int memorySeconds = 60;
        int partitions = 12;
        int keys = 1000;
        int valueBytes = 100;
        int concurrency = 256;
        int maxInFlight;
        long sleepMillis = 5;
        int repeat = 1;
        String ordering = "KEY";
        String bootstrapServers;
        boolean trace;
        Map<String, String> consumerProperties = new HashMap<>();

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    System.out.println("""
                            Drains a backlog with a plain KafkaConsumer loop and with the parallel consumer.
                            Without --bootstrap-servers it starts a KRaft broker as a separate JVM process.

                              --scenarios noop,sleep,memory   what to run (default noop,sleep)
                              --engines platform,virtual,async engines to run (default platform)
                              --records N          backlog for noop and sleep (default 200000)
                              --partitions N       (default 12)      --keys N        (default 1000)
                              --value-bytes N      (default 100)     --ordering KEY|PARTITION|UNORDERED
                              --concurrency N      (default 256)     --max-in-flight N (default: library's)
                              --sleep-ms N         handler sleep in the sleep scenario (default 5)
                              --memory-records N   backlog for memory (default 1000000)
                              --warmup-records N   drained by each consumer in each warm-up round (default 200000)
                              --warmup-rounds N    most warm-up rounds; they end once the JIT is nearly idle (default 8);
                                                   the sleep scenario then drains its own backlog with each engine,
                                                   unmeasured, in up to --sleep-warmup-rounds more rounds
                                                   (--warmup-records 0: neither)
                              --sleep-warmup-rounds N  most rounds of that sleep warm-up (default 3)
                              --memory-seconds N   how long memory runs (default 60)
                              --repeat N           runs of each scenario (default 1)
                              --bootstrap-servers HOST:PORT  use this cluster instead of starting a broker
                              --trace              print when each tenth of a drain was done, where the CPU went,
                                                   where each partition stood, and how long sleeping handlers slept
                              --consumer-property NAME=VALUE  a Kafka consumer property for every consumer (repeatable)
                            """);
                    return null;
                }
                if (arg.equals("--trace")) {
                    options.trace = true;
                    continue;
                }
                String value = args[++i];
                switch (arg) {
                    case "--scenarios" -> options.scenarios = List.of(value.split(","));
                    case "--engines" -> options.engines = List.of(value.split(","));
                    case "--records" -> options.records = Long.parseLong(value);
                    case "--memory-records" -> options.memoryRecords = Long.parseLong(value);
                    case "--warmup-records" -> options.warmupRecords = Long.parseLong(value);
                    case "--warmup-rounds" -> options.warmupRounds = Integer.parseInt(value);
                    case "--sleep-warmup-rounds" -> options.sleepWarmupRounds = Integer.parseInt(value);
                    case "--memory-seconds" -> options.memorySeconds = Integer.parseInt(value);
                    case "--partitions" -> options.partitions = Integer.parseInt(value);
                    case "--keys" -> options.keys = Integer.parseInt(value);
                    case "--value-bytes" -> options.valueBytes = Integer.parseInt(value);
                    case "--concurrency" -> options.concurrency = Integer.parseInt(value);
                    case "--max-in-flight" -> options.maxInFlight = Integer.parseInt(value);
                    case "--sleep-ms" -> options.sleepMillis = Long.parseLong(value);
                    case "--repeat" -> options.repeat = Integer.parseInt(value);
                    case "--ordering" -> options.ordering = value.toUpperCase(Locale.ROOT);
                    case "--bootstrap-servers" -> options.bootstrapServers = value;
                    case "--consumer-property" -> {
                        String[] pair = value.split("=", 2);
                        if (pair.length != 2) {
                            throw new IllegalArgumentException("--consumer-property wants name=value, not " + value);
                        }
                        options.consumerProperties.put(pair[0], pair[1]);
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + arg + "; see --help");
                }
            }
            return options;
        }
    }
}
