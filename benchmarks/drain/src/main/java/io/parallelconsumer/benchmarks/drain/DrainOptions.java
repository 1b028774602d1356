package io.parallelconsumer.benchmarks.drain;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The drain benchmark's command-line options. */
final class DrainOptions {
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

    static DrainOptions parse(String[] args) {
        DrainOptions options = new DrainOptions();
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
