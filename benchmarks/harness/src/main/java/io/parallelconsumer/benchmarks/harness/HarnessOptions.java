package io.parallelconsumer.benchmarks.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.convert.DurationStyle;

/** The harness's command line: every option with its default, parsed and checked. */
final class HarnessOptions {

    static final String USAGE = """
            Usage: bash benchmarks/harness/run.sh [options]

            Produces a workload (each record carries its key's sequence number and its produce time), then consumes
            it once per run, each run from a fresh topic and group (deleted and recreated with the reset beans), and
            writes one JSON file per run plus a Markdown table under the results directory.

            Workload
              --records N            records per run                                    (default 100000)
              --keys N               distinct keys                                      (default 1000)
              --partitions N         partitions of the topic                            (default 12)
              --payload-bytes N      value size                                         (default 100)
              --load backlog|live    backlog: produce everything, then consume (throughput of a drain);
                                     live: consume while producing (latency under load) (default backlog)
              --rate N               live load only: records/s, 0 = as fast as possible (default 0)
            Work per record
              --sleep DURATION       simulated I/O, e.g. 5ms, 200us, 0                   (default 5ms)
              --spin DURATION        simulated CPU, a busy loop, e.g. 50us, 0            (default 0)
            Consumers
              --runs LIST            any of baseline,platform,virtual,async             (default all four)
                                     baseline: @KafkaListener, concurrency = partitions; virtual needs Java 21+
              --concurrency N        @ParallelListener concurrency (KEY ordering)      (default 256)
              --repeat N             run the whole list N times                        (default 1)
              --warmup-rounds N      runs of the whole list before those measured, not recorded: the first
                                     run in a JVM also pays for compiling Spring's and Kafka's code (default 1)
            Kafka
              --bootstrap-servers H:P  an existing cluster (topic harness-* and groups harness-* are deleted!)
              --broker embedded|process  without --bootstrap-servers: a broker inside this JVM (default), or as
                                     its own JVM process so that CPU and heap figures are the consumer's alone
              --topic NAME           topic name, must start with harness-              (default harness-bench)
              --skip-reset           keep the topic and group as they are (then records are produced again)
            Output
              --results-dir DIR      where JSON and Markdown go                        (default benchmarks/results/harness)
              --idle-timeout DURATION  end a run when nothing new was processed for this long (default 60s)
              --help                 this text
            """;

    int records = 100_000;
    int keys = 1000;
    int partitions = 12;
    int payloadBytes = 100;
    boolean liveLoad;
    int rate;
    Duration sleep = Duration.ofMillis(5);
    Duration spin = Duration.ZERO;
    List<RunKind> runs = List.of(RunKind.values());
    int concurrency = 256;
    int repeat = 1;
    int warmupRounds = 1;
    String bootstrapServers;
    boolean brokerProcess;
    String topic = "harness-bench";
    boolean skipReset;
    Path resultsDir = Path.of("benchmarks", "results", "harness");
    Duration idleTimeout = Duration.ofSeconds(60);
    boolean help;

    /** @throws IllegalArgumentException naming every bad option */
    static HarnessOptions parse(String... args) {
        HarnessOptions options = new HarnessOptions();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                options.help = true;
                continue;
            }
            if (name.equals("--skip-reset")) {
                options.skipReset = true;
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    problems.add(name + " needs a value");
                    break;
                }
                value = args[++i];
            }
            try {
                options.set(name, value);
            }
            catch (RuntimeException ex) {
                problems.add(name + " " + value + ": " + ex.getMessage());
            }
        }
        options.check(problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems) + "\n(--help lists the options)");
        }
        return options;
    }

    private void set(String name, String value) {
        switch (name) {
            case "--records" -> records = Integer.parseInt(value);
            case "--keys" -> keys = Integer.parseInt(value);
            case "--partitions" -> partitions = Integer.parseInt(value);
            case "--payload-bytes" -> payloadBytes = Integer.parseInt(value);
            case "--load" -> liveLoad = choose(value, "backlog", "live").equals("live");
            case "--rate" -> rate = Integer.parseInt(value);
            case "--sleep" -> sleep = duration(value);
            case "--spin" -> spin = duration(value);
            case "--runs" -> runs = Arrays.stream(value.split(",")).map(RunKind::parse).toList();
            case "--concurrency" -> concurrency = Integer.parseInt(value);
            case "--repeat" -> repeat = Integer.parseInt(value);
            case "--warmup-rounds" -> warmupRounds = Integer.parseInt(value);
            case "--bootstrap-servers" -> bootstrapServers = value;
            case "--broker" -> brokerProcess = choose(value, "embedded", "process").equals("process");
            case "--topic" -> topic = value;
            case "--results-dir" -> resultsDir = Path.of(value);
            case "--idle-timeout" -> idleTimeout = duration(value);
            default -> throw new IllegalArgumentException("unknown option");
        }
    }

    private void check(List<String> problems) {
        positive(problems, "--records", records);
        positive(problems, "--keys", keys);
        positive(problems, "--partitions", partitions);
        positive(problems, "--concurrency", concurrency);
        positive(problems, "--repeat", repeat);
        at(problems, warmupRounds >= 0, "--warmup-rounds must not be negative");
        at(problems, payloadBytes >= 0, "--payload-bytes must not be negative");
        at(problems, rate >= 0, "--rate must not be negative");
        at(problems, !sleep.isNegative() && !spin.isNegative(), "--sleep and --spin must not be negative");
        at(problems, idleTimeout.compareTo(Duration.ofSeconds(1)) >= 0, "--idle-timeout must be at least 1s");
        at(problems, topic.startsWith("harness-"), "--topic must start with harness- (the reset deletes it)");
        at(problems, !runs.isEmpty(), "--runs must name at least one run");
        at(problems, bootstrapServers == null || !brokerProcess,
                "--broker process starts a broker of its own; it cannot be combined with --bootstrap-servers");
    }

    /** The group of a run: rounds from 1 are measured, rounds from 0 down warm up. */
    String groupOf(RunKind run, int round) {
        return "harness-" + run.label() + "-" + (round > 0 ? String.valueOf(round) : "warmup" + (1 - round));
    }

    /** Consumer concurrency of a run: the container threads of the baseline, the listener's otherwise. */
    int concurrencyOf(RunKind run) {
        return run == RunKind.BASELINE ? partitions : concurrency;
    }

    private static void positive(List<String> problems, String name, int value) {
        at(problems, value >= 1, name + " must be at least 1, but was " + value);
    }

    private static void at(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    private static String choose(String value, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
    }

    private static Duration duration(String value) {
        return value.equals("0") ? Duration.ZERO : DurationStyle.detectAndParse(value);
    }
}
