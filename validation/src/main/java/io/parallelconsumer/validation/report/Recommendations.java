package io.parallelconsumer.validation.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import io.parallelconsumer.validation.delivery.DeliveryResult;
import io.parallelconsumer.validation.performance.PerformanceResult;
import io.parallelconsumer.validation.process.ProcessUsage;
import io.parallelconsumer.validation.verify.GroupVerdict;

/** Tuning advice derived from measured figures: each rule says what it saw and what to change. */
final class Recommendations {

    /** Broker-side {@code broker.session.timeout.ms} of the suite's nodes. */
    private static final double BROKER_SESSION_SECONDS = 6;

    private Recommendations() {
    }

    static List<String> delivery(List<DeliveryResult> results) {
        List<String> advice = new ArrayList<>();
        duplicatesPerKill(results).ifPresent(perKill -> {
            DeliveryResult any = results.get(0);
            double seconds = perKill / any.profile().rate();
            if (seconds > 1.5) {
                advice.add(String.format(Locale.ROOT, "A killed consumer's successor redid %.0f records per kill, "
                        + "%.1f s of load at %,d records/s: lower `parallel-consumer.commit-interval` (1 s here) to "
                        + "redo less, at the cost of more commits.", perKill, seconds, any.profile().rate()));
            }
            else {
                advice.add(String.format(Locale.ROOT, "A killed consumer's successor redid %.0f records per kill "
                        + "(%.1f s of load): the 1 s commit interval bounds it; keep it.", perKill, seconds));
            }
        });
        longestPause(results, "kill-consumer").ifPresent(pause -> {
            double session = results.get(0).profile().sessionTimeout().toSeconds();
            if (pause > 0.8 * session) {
                advice.add(String.format(Locale.ROOT, "After a kill -9, a partition waited up to %.1f s: the group "
                        + "notices a dead member only after `session.timeout.ms` (%.0f s here). Lower it, or stop "
                        + "pods gracefully (SIGTERM: the member leaves at once and commits first).", pause, session));
            }
        });
        longestPause(results, "kill-broker").ifPresent(pause -> {
            if (pause > 2 * BROKER_SESSION_SECONDS) {
                advice.add(String.format(Locale.ROOT, "After a broker's kill -9, a partition waited up to %.1f s, "
                        + "more than twice the broker session timeout (%.0f s): look at the brokers' "
                        + "`broker.session.timeout.ms` and at the clients' `metadata.max.age.ms`.", pause,
                        BROKER_SESSION_SECONDS));
            }
            else if (pause > BROKER_SESSION_SECONDS / 2) {
                advice.add(String.format(Locale.ROOT, "After a broker's kill -9, partitions waited up to %.1f s: "
                        + "about the brokers' `broker.session.timeout.ms` (%.0f s here), which is what decides it.",
                        pause, BROKER_SESSION_SECONDS));
            }
            else {
                advice.add(String.format(Locale.ROOT, "After a broker's kill -9, partitions with records waiting "
                        + "paused at most %.1f s: nothing to tune for it.", pause));
            }
        });
        return advice;
    }

    /** Concurrency and work of the validation application: the ceiling of its rate is their quotient. */
    private static final double CONCURRENCY = 64;
    private static final double WORK_SECONDS = 0.002;

    static List<String> performance(List<PerformanceResult> results) {
        List<String> advice = new ArrayList<>();
        for (PerformanceResult r : results) {
            if (r.runs().isEmpty()) {
                continue;
            }
            double consumerCpu = r.runs().stream().flatMap(run -> run.processes().stream())
                    .filter(p -> p.process().equals("consumer")).mapToDouble(ProcessUsage::cpuAveragePercent)
                    .average().orElse(0);
            double brokerCpu = r.runs().stream().flatMap(run -> run.processes().stream())
                    .filter(p -> p.process().equals("broker")).mapToDouble(ProcessUsage::cpuAveragePercent)
                    .average().orElse(0);
            int cores = r.environment().cores();
            if (r.load().rate() > 0 && r.p95().median() >= 100) {
                advice.add(String.format(Locale.ROOT, "%s: p95 %.0f ms at %,d records/s. %s", r.test(),
                        r.p95().median(), r.load().rate(), consumerCpu > 80 * cores
                                ? String.format(Locale.ROOT, "The consumer used %.0f %% CPU of %d cores: it is "
                                        + "CPU-bound; more instances, not more concurrency.", consumerCpu, cores)
                                : "Raise `parallel-consumer.concurrency` (64 here): records wait for a free slot."));
            }
            if (r.load().rate() == 0 && r.test().equals("snapshot")) {
                double ceiling = CONCURRENCY / WORK_SECONDS;
                double rate = r.consumedRate().median();
                advice.add(String.format(Locale.ROOT, "snapshot: drained at %,.0f records/s, %.0f %% of the "
                        + "%,.0f records/s that 64 records of 2 ms at once allow; the consumer used %.0f %% CPU "
                        + "and the broker %.0f %% (of %d cores). %s", rate, 100 * rate / ceiling, ceiling,
                        consumerCpu, brokerCpu, cores, rate < 0.5 * ceiling && consumerCpu + brokerCpu > 70 * cores
                                ? "The machine's CPU, not the concurrency, bounds it: concurrency above 64 would "
                                        + "not drain faster here."
                                : "Raise `parallel-consumer.concurrency` to drain faster, as long as the work "
                                        + "itself (a database, a service) takes it."));
            }
            if (r.test().equals("startup") && r.startupSeconds().median() >= 10) {
                advice.add(String.format(Locale.ROOT, "startup: %.1f s to the first record; the group join is a "
                        + "part of it (`group.initial.rebalance.delay.ms` on the brokers).", r.startupSeconds()
                        .median()));
            }
        }
        return advice;
    }

    private static OptionalDouble duplicatesPerKill(List<DeliveryResult> results) {
        return results.stream().flatMap(r -> r.groups().stream()).flatMap(g -> g.faults().stream())
                .filter(f -> f.kind().equals("kill-consumer")).mapToLong(GroupVerdict.FaultRecovery::duplicatesExplained)
                .average();
    }

    private static OptionalDouble longestPause(List<DeliveryResult> results, String kind) {
        return results.stream().flatMap(r -> r.groups().stream()).flatMap(g -> g.faults().stream())
                .filter(f -> f.kind().equals(kind)).mapToDouble(f -> f.partitionPauseMillis() / 1000).max();
    }
}
