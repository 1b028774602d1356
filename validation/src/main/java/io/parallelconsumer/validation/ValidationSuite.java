package io.parallelconsumer.validation;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.parallelconsumer.validation.delivery.DeliveryResult;
import io.parallelconsumer.validation.performance.Load;
import io.parallelconsumer.validation.performance.PerformanceResult;
import io.parallelconsumer.validation.performance.PerformanceSuite;
import io.parallelconsumer.validation.delivery.DeliverySuite;
import io.parallelconsumer.validation.delivery.DeliveryTest;
import io.parallelconsumer.validation.delivery.DeliveryTests;
import io.parallelconsumer.validation.report.Reports;
import io.parallelconsumer.validation.run.Profile;

/**
 * The suite's command line: {@code delivery}, {@code performance}, {@code report} or {@code all}, with
 * {@code --profile quick|full}, {@code --tests a,b}, {@code --seed N}, {@code --results DIR} and {@code --work DIR}.
 * Exits 0 when everything passed, 1 when something failed, 2 when something could not run.
 */
public final class ValidationSuite {

    private ValidationSuite() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println(usage());
            return;
        }
        String command = args[0];
        Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
        Profile profile = Profile.named(options.getOrDefault("profile", "quick"));
        long seed = Long.parseLong(options.getOrDefault("seed", Long.toString(System.currentTimeMillis())));
        Path results = Path.of(options.getOrDefault("results", "validation/target/results")).toAbsolutePath();
        Path work = Path.of(options.getOrDefault("work", "validation/target/work-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath();
        System.out.printf("Validation suite: %s, profile %s, seed %d, results in %s, logs in %s%n", command,
                profile.name(), seed, results, work);
        int exit = switch (command) {
            case "delivery" -> delivery(profile, seed, work, results, options.get("tests"));
            case "performance" -> performance(profile, seed, rounds(options, profile), work, results,
                    options.get("tests"));
            case "report" -> report(results);
            case "all" -> {
                int delivered = delivery(profile, seed, work, results, null);
                int measured = performance(profile, seed, rounds(options, profile), work, results, null);
                report(results);
                yield Status.exitCode(List.of(Status.statusOf(delivered), Status.statusOf(measured)));
            }
            default -> throw new IllegalArgumentException("Unknown command '" + command + "'\n" + usage());
        };
        System.exit(exit);
    }

    private static int delivery(Profile profile, long seed, Path work, Path results, String names)
            throws Exception {
        List<DeliveryTest> tests = selected(names);
        List<DeliveryResult> outcomes = new DeliverySuite(profile, seed, work, results).run(tests);
        outcomes.forEach(r -> System.out.printf("%-20s %s%n", r.test(), r.status()));
        return Status.exitCode(outcomes.stream().map(DeliveryResult::status).toList());
    }

    private static int performance(Profile profile, long seed, int rounds, Path work, Path results, String names)
            throws Exception {
        List<Load> all = profile == Profile.QUICK ? Load.quick() : Load.full();
        List<Load> loads = names == null ? all : Arrays.stream(names.split(",")).map(String::trim)
                .map(name -> all.stream().filter(l -> l.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("No performance test '" + name
                                + "'; there are " + all.stream().map(Load::name).toList())))
                .toList();
        List<PerformanceResult> outcomes = new PerformanceSuite(profile, seed, rounds, work, results).run(loads);
        outcomes.forEach(r -> System.out.printf("%-20s %s%n", r.test(), r.status()));
        return Status.exitCode(outcomes.stream().map(PerformanceResult::status).toList());
    }

    private static int rounds(Map<String, String> options, Profile profile) {
        return Integer.parseInt(options.getOrDefault("rounds", profile == Profile.QUICK ? "1" : "3"));
    }

    private static int report(Path results) throws Exception {
        for (Path written : Reports.write(results)) {
            System.out.println("Wrote " + written);
        }
        return 0;
    }

    private static List<DeliveryTest> selected(String names) {
        if (names == null) {
            return DeliveryTests.all();
        }
        List<DeliveryTest> tests = new ArrayList<>();
        for (String name : names.split(",")) {
            tests.add(DeliveryTests.all().stream().filter(t -> t.name().equals(name.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("No delivery test '" + name + "'; there are "
                            + DeliveryTests.all().stream().map(DeliveryTest::name).toList())));
        }
        return tests;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --name value, got '" + args[i] + "'\n" + usage());
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String usage() {
        return """
                Usage: validation/run.sh <command> [options]
                  delivery     the delivery tests under faults: %s
                  performance  throughput, burst, sustained, snapshot and startup, each run --rounds times
                  report       writes delivery-guarantees.md and performance-baseline.md from the JSON results
                  all          delivery, performance, then report
                Options:
                  --profile quick|full   quick (default): a few minutes in all; full: the run the reports come from
                  --tests a,b            only these tests
                  --rounds N             runs of each performance test (default: quick 1, full 3)
                  --seed N               the producer's key sequence (printed; default: the time)
                  --results DIR          JSON results and reports (default validation/target/results)
                  --work DIR             brokers' data and the processes' logs (default validation/target/work-*)
                Exit code: 0 all passed, 1 something failed, 2 something could not run.""".formatted(
                DeliveryTests.all().stream().map(DeliveryTest::name).toList());
    }
}
