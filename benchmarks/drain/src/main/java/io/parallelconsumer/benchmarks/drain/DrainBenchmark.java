package io.parallelconsumer.benchmarks.drain;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.EngineType;
import io.parallelconsumer.Ordering;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.ParallelConsumerBuilder;
import io.parallelconsumer.test.kafka.KafkaBrokerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

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

    private final DrainOptions options;
    private final String bootstrap;
    private final Admin admin;
    private final RunSummary summary = new RunSummary();
    /** The processes whose threads {@code --trace} accounts for, by the label their thread names get. */
    private final Map<String, Long> tracedProcesses = new HashMap<>();
    private final Backlog backlog;

    private DrainBenchmark(DrainOptions options, String bootstrap, long brokerPid) {
        this.options = options;
        this.bootstrap = bootstrap;
        tracedProcesses.put("", ProcessHandle.current().pid());
        if (brokerPid > 0) {
            tracedProcesses.put("broker:", brokerPid);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(props);
        this.backlog = new Backlog(admin, options, bootstrap);
    }

    public static void main(String[] args) throws Exception {
        DrainOptions options = DrainOptions.parse(args);
        if (options == null) {
            return;
        }
        KafkaBrokerProcess broker = options.bootstrapServers == null ? KafkaBrokerProcess.start("1g") : null;
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
        String topic = backlog.produce(options.warmupRecords);
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
            long jitBefore = Usage.jitMillisSoFar();
            long start = System.nanoTime();
            round.run();
            long roundMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long jit = Usage.jitMillisSoFar() - jitBefore;
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
        String topic = backlog.produce(options.records);
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
        String topic = backlog.produce(options.records);
        double ceiling = Math.min(options.concurrency, options.keys) / (options.sleepMillis / 1000.0);
        long sleepNanos = TimeUnit.MILLISECONDS.toNanos(options.sleepMillis);
        warmUpSlowHandler(topic, sleepNanos);
        for (int run = 0; run < options.repeat; run++) {
            Result limit = SleepCeiling.run(options.concurrency, options.sleepMillis, options.records);
            print("sleep " + options.sleepMillis + " ms", options.concurrency + " threads only sleeping, no Kafka",
                    limit, String.format(Locale.ROOT, "ceiling %,.0f/s", ceiling), ceiling, Double.NaN);
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
     * A handler 100 times slower than the fetch rate on a large backlog, for a while: heap and in-flight records must
     * stay bounded and the group membership must hold.
     */
    private void memory() throws Exception {
        String topic = backlog.produce(options.memoryRecords);
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
        MemoryRun.observe(consumer, options.memorySeconds, processed);
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
     * compilers have finished what creating and joining queued (see {@link Usage#awaitQuietJit}); it is timed from the
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
                Usage.awaitQuietJit();
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
                Usage.awaitQuietJit();
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
            Progress.awaitNextLook(records - seen, records);
            seen = count.done();
            progress.sample(count.firstNanos(), seen);
            if (mark < PARTITION_MARKS.length && seen >= PARTITION_MARKS[mark] * records) {
                System.out.println(Progress.partitionsAt(consumer, PARTITION_MARKS[mark++], count.firstNanos()));
            }
            failIfFailed(consumer);
        }
        System.out.println("  progress (ms after the first record): " + progress + "; backpressure pauses "
                + consumer.snapshot().counters().backpressurePauses());
    }

    private static void failIfFailed(ParallelConsumer<?, ?> consumer) {
        if (consumer.state() == ConsumerState.FAILED) {
            throw new IllegalStateException("Consumer failed", consumer.snapshot().failure());
        }
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
            return "  from the resume on: JIT compilers " + (Usage.jitMillisSoFar() - start.jitMillis())
                    + " ms; threads ran/waited for a core (ms)/were preempted: "
                    + ThreadCpu.read(tracedProcesses).since(cpuAtStart);
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

    /**
     * Prints a measured run's row and notes it for the summary.
     * @param targetPercent the ratio the run should reach, or {@code NaN} for a reference row
     */
    private void print(String scenario, String consumer, Result result, String reference, double referenceRate,
            double targetPercent) {
        double ratio = 100 * result.rate() / referenceRate;
        String steal = result.used().stealMillis() < 0 ? "-"
                : String.format(Locale.ROOT, "%,d", result.used().stealMillis());
        String row = String.format(Locale.ROOT,
                "| %s | %s | %,d | %.2f | %,.0f | %s | %.1f %% | %.1f | %,d | %,d | %s |", scenario, consumer,
                result.records(), result.elapsedNanos() / 1e9, result.rate(), reference, ratio,
                result.used().cpuNanos() / 1e9, result.used().jitMillis(), result.used().gcMillis(), steal);
        summary.add(scenario, consumer, ratio, result.rate(), targetPercent);
        System.out.println(row);
    }

}
