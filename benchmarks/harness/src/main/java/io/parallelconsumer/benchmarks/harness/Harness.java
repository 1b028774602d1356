package io.parallelconsumer.benchmarks.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.parallelconsumer.admin.KafkaResetOperations;
import io.parallelconsumer.admin.ResetSettings;
import io.parallelconsumer.test.kafka.KafkaBrokerProcess;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The benchmark harness: one command line (see {@link HarnessOptions#USAGE}) that runs a plain
 * {@code @KafkaListener} and {@code @ParallelListener} on each engine over the same workload, each from a fresh
 * topic and group, and writes what it measured under {@code benchmarks/results/harness}.
 */
public final class Harness {

    private static final Logger log = LoggerFactory.getLogger(Harness.class);
    private static final long SAMPLE_MILLIS = 20;

    private final HarnessOptions options;
    private final String bootstrapServers;
    private final String broker;

    private Harness(HarnessOptions options, String bootstrapServers, String broker) {
        this.options = options;
        this.bootstrapServers = bootstrapServers;
        this.broker = broker;
    }

    public static void main(String[] args) throws Exception {
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(HarnessOptions.USAGE);
            return;
        }
        List<RunResult> results = run(options);
        System.out.println();
        System.out.print(ResultWriter.markdown(options, results));
    }

    /** Runs every run of the options, writes the results, and returns them. */
    static List<RunResult> run(HarnessOptions options) throws Exception {
        if (options.bootstrapServers != null) {
            return new Harness(options, options.bootstrapServers, options.bootstrapServers).runAll();
        }
        if (options.brokerProcess) {
            try (KafkaBrokerProcess process = KafkaBrokerProcess.start("1g")) {
                return new Harness(options, process.bootstrapServers(), "process").runAll();
            }
        }
        EmbeddedKafkaKraftBroker embedded = new EmbeddedKafkaKraftBroker(1, 1);
        embedded.brokerProperties(Map.of("group.initial.rebalance.delay.ms", "0"));
        embedded.afterPropertiesSet();
        try {
            return new Harness(options, embedded.getBrokersAsString(), "embedded").runAll();
        }
        finally {
            embedded.destroy();
        }
    }

    private List<RunResult> runAll() throws Exception {
        warmUp();
        ResultWriter writer = new ResultWriter(options.resultsDir);
        List<RunResult> results = new ArrayList<>();
        for (int round = 1; round <= options.repeat; round++) {
            for (RunKind run : options.runs) {
                RunResult result = runOnce(run, round);
                results.add(result);
                Path file = writer.writeJson(result);
                log.info("{} #{}: {} records/s, p99 {} ms, missing {}, duplicates {}, order violations {} -> {}",
                        run.label(), round, Math.round(result.throughput()),
                        result.latency() == null ? "-" : result.latency().p99(), result.missing(),
                        result.duplicates(), result.orderViolations(), file);
            }
        }
        Path table = writer.writeMarkdown(options, results);
        log.info("Comparison written to {}", table);
        return results;
    }

    /**
     * Runs the list {@code --warmup-rounds} times without recording it, so that the first measured run does not
     * also pay for compiling the code of Spring, the Kafka client and the consumer (in one invocation the first run
     * used more than twice the CPU of the same run repeated).
     */
    private void warmUp() throws Exception {
        for (int round = 1; round <= options.warmupRounds; round++) {
            for (RunKind run : options.runs) {
                RunResult result = runOnce(run, 1 - round);
                if (result.skipped() == null) {
                    log.info("{} warm-up {}: {} records/s, not recorded", run.label(), round,
                            Math.round(result.throughput()));
                }
            }
        }
    }

    /** @param round from 1 for measured runs, from 0 down for warm-up runs */
    private RunResult runOnce(RunKind run, int round) throws Exception {
        String group = options.groupOf(run, round);
        if (run == RunKind.VIRTUAL && Runtime.version().feature() < 21) {
            log.warn("Skipping the virtual-thread run: this JVM is Java {}; run with JAVA=<a JDK 21+>",
                    Runtime.version().feature());
            return skipped(run, round, "virtual threads need Java 21+");
        }
        if (!options.skipReset) {
            resetOperations().reset(List.of(new NewTopic(options.topic, options.partitions, (short) 1)),
                    List.of(group));
        }
        Workload workload = new Workload(bootstrapServers, options.topic, options.records, options.keys,
                options.payloadBytes);
        if (!options.liveLoad) {
            log.info("{} #{}: producing a backlog of {} records", run.label(), round, options.records);
            workload.produce(0);
        }
        RunRecorder recorder = new RunRecorder(options.records, options.keys);
        Sampler sampler = new Sampler();
        long cpuBefore = sampler.cpuNanos();
        long started = System.nanoTime();
        try (SimulatedWork work = new SimulatedWork(options.spin, options.sleep);
                ConfigurableApplicationContext context = startConsumer(run, group, work, recorder)) {
            CompletableFuture<Void> producing = CompletableFuture.completedFuture(null);
            if (options.liveLoad) {
                awaitAssignment(group);
                producing = CompletableFuture.runAsync(() -> produce(workload));
            }
            awaitCompletion(recorder);
            producing.get(options.idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        finally {
            sampler.stop();
        }
        return result(run, round, recorder, started, sampler.cpuNanos() - cpuBefore, sampler.peakHeapBytes());
    }

    private ConfigurableApplicationContext startConsumer(RunKind run, String group, SimulatedWork work,
            RunRecorder recorder) {
        log.info("{}: starting the consumer (group {})", run.label(), group);
        return new SpringApplicationBuilder(HarnessRunApplication.class)
                .initializers(context -> ((GenericApplicationContext) context).registerBean(
                        run.label() + "Listener", Object.class, () -> run.listener.apply(work, recorder)))
                .properties(properties(run, group))
                .run();
    }

    private Map<String, Object> properties(RunKind run, String group) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.main.web-application-type", "none");
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.jmx.enabled", "false");
        properties.put("spring.main.log-startup-info", "false");
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
        properties.put("spring.kafka.consumer.auto-offset-reset", "earliest");
        properties.put("spring.kafka.consumer.key-deserializer", StringDeserializer.class.getName());
        properties.put("spring.kafka.consumer.value-deserializer", ByteArrayDeserializer.class.getName());
        properties.put("harness.topic", options.topic);
        properties.put("harness.group", group);
        properties.put("harness.partitions", options.partitions);
        properties.put("harness.concurrency", options.concurrency);
        properties.put("parallel-consumer.engine", run == RunKind.VIRTUAL ? "virtual" : "platform");
        return properties;
    }

    private KafkaResetOperations resetOperations() {
        // Only the harness's own names, whatever the cluster.
        Pattern own = Pattern.compile(Pattern.quote(options.topic) + "|harness-.*");
        ResetSettings settings = new ResetSettings(true, own, 10, Duration.ofMillis(200), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        return new KafkaResetOperations(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                settings);
    }

    private void produce(Workload workload) {
        try {
            workload.produce(options.rate);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing", ex);
        }
    }

    /** Live load: produce only once the group owns every partition, so that the join is not measured. */
    private void awaitAssignment(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            long deadline = System.nanoTime() + options.idleTimeout.toNanos();
            while (System.nanoTime() - deadline < 0) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                        .get(30, TimeUnit.SECONDS).get(group);
                int assigned = description.members().stream()
                        .mapToInt(member -> member.assignment().topicPartitions().size()).sum();
                if (assigned >= options.partitions) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            throw new IllegalStateException("Group " + group + " did not get all " + options.partitions
                    + " partitions within " + options.idleTimeout);
        }
    }

    /** Until every record was processed, or nothing new was processed for the idle timeout. */
    private void awaitCompletion(RunRecorder recorder) throws InterruptedException {
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (!recorder.complete()) {
            long count = recorder.processed();
            long now = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastChange = now;
            }
            else if (now - lastChange > options.idleTimeout.toNanos()) {
                log.warn("Nothing processed for {}: ending the run with {} of {} records", options.idleTimeout,
                        recorder.distinct(), options.records);
                return;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private RunResult result(RunKind run, int round, RunRecorder recorder, long startedNanos, long cpuNanos,
            long peakHeapBytes) {
        double elapsed = recorder.spanNanos() / 1e9;
        double throughput = elapsed > 0 ? (recorder.distinct() - 1) / elapsed : 0;
        Double ceiling = ceiling(options.concurrencyOf(run));
        Histogram latency = recorder.latencyMicros();
        double startup = recorder.firstNanos() == Long.MAX_VALUE ? 0 : (recorder.firstNanos() - startedNanos) / 1e9;
        return new RunResult(run.label(), round, null, Runtime.version().toString(), broker, options.records,
                options.keys, options.partitions, options.payloadBytes, options.liveLoad ? "live" : "backlog",
                options.rate, options.concurrencyOf(run), options.sleep.toNanos() / 1000,
                options.spin.toNanos() / 1000, recorder.processed(), recorder.missing(), recorder.duplicates(),
                recorder.orderViolations(), startup, elapsed, throughput, ceiling,
                ceiling == null ? null : throughput / ceiling,
                new RunResult.Latency(millis(latency, 50), millis(latency, 95), millis(latency, 99),
                        millis(latency, 99.9), latency.getMaxValue() / 1000.0),
                peakHeapBytes / 1048576.0, cpuNanos / 1e9);
    }

    /** min(concurrency, keys) records can wait at once; the CPU part is also bounded by the cores. */
    private Double ceiling(int concurrency) {
        long workNanos = options.sleep.toNanos() + options.spin.toNanos();
        if (workNanos == 0) {
            return null;
        }
        double bound = Math.min(concurrency, options.keys) * 1e9 / workNanos;
        if (options.spin.toNanos() > 0) {
            bound = Math.min(bound, Runtime.getRuntime().availableProcessors() * 1e9 / options.spin.toNanos());
        }
        return bound;
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private RunResult skipped(RunKind run, int round, String why) {
        return new RunResult(run.label(), round, why, Runtime.version().toString(), broker, options.records,
                options.keys, options.partitions, options.payloadBytes, options.liveLoad ? "live" : "backlog",
                options.rate, options.concurrencyOf(run), options.sleep.toNanos() / 1000,
                options.spin.toNanos() / 1000, 0, options.records, 0, 0, 0, 0, 0, null, null, null, 0, 0);
    }

    /** Samples heap use while a run lasts, and reads this JVM's CPU time. */
    private static final class Sampler {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        Sampler() {
            thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        TimeUnit.MILLISECONDS.sleep(SAMPLE_MILLIS);
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                }
            }, "harness-heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long cpuNanos() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getProcessCpuTime();
            }
            return 0;
        }

        long peakHeapBytes() {
            return peak.get();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
        }
    }
}
