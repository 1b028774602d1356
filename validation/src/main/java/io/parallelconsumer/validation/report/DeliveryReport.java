package io.parallelconsumer.validation.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.parallelconsumer.validation.Status;
import io.parallelconsumer.validation.delivery.Check;
import io.parallelconsumer.validation.delivery.DeliveryResult;
import io.parallelconsumer.validation.run.Profile;
import io.parallelconsumer.validation.verify.Fault;
import io.parallelconsumer.validation.verify.GroupVerdict;

/** {@code delivery-guarantees.md}: every figure of every delivery test, pass or fail, and what to tune. */
final class DeliveryReport {

    private DeliveryReport() {
    }

    static String markdown(List<DeliveryResult> results) {
        DeliveryResult any = results.get(0);
        Environment env = any.environment();
        Profile profile = any.profile();
        StringBuilder out = new StringBuilder();
        out.append("# Delivery guarantees under faults\n\n")
                .append("Generated from the JSON results of the validation suite (`validation/run.sh delivery`); ")
                .append("nothing here is written by hand.\n\n")
                .append("## Environment\n\n")
                .append(line("build", env.commit()))
                .append(line("Java", env.java() + " (" + env.vm() + ")"))
                .append(line("machine", env.cores() + " cores, " + env.memoryMb() + " MB, " + env.cpu() + ", "
                        + env.os()))
                .append(line("Kafka", "clients " + env.kafkaClients() + "; brokers from the same version's jars, "
                        + "KRaft, each node a broker and a controller in its own JVM"))
                .append(line("Spring Boot", env.springBoot()))
                .append(line("started", any.startedAt()))
                .append(line("profile", String.format(Locale.ROOT, "%s: %,d records/s, %d keys, %d partitions, "
                        + "%d-byte values, %d ms of work per record, session timeout %d s, %d kills of a consumer",
                        profile.name(), profile.rate(), profile.keys(), profile.partitions(), profile.valueBytes(),
                        profile.work().toMillis(), profile.sessionTimeout().toSeconds(), profile.consumerKills())))
                .append(line("consumer", "the validation application on the starter: KEY ordering, concurrency 64, "
                        + "commit interval 1 s, commit metadata on, shutdown timeout 5 s"))
                .append(line("producer", "acks=all, idempotent; each record carries its key's sequence number and "
                        + "its send time"))
                .append('\n');

        out.append("## Summary\n\n")
                .append("| test | result | brokers | faults | acknowledged | lost | duplicates (unexplained) "
                        + "| order violations | same-key overlaps | uncommitted at end | longest partition pause s "
                        + "| seconds | seed |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (DeliveryResult r : results) {
            for (GroupVerdict g : r.groups()) {
                out.append(String.format(Locale.ROOT, "| %s%s | %s | %d | %d | %,d | %d | %,d (%d) | %d | %d | %d "
                        + "| %.1f | %.0f | %d |%n", r.test(), r.groups().size() > 1 ? " (" + g.group() + ")" : "",
                        status(r, g), r.brokers(), faultsOf(r, g), g.acknowledged(), g.lost(), g.duplicates(),
                        g.unexplainedDuplicates(), g.orderViolations(), g.sameKeyOverlaps(), g.uncommittedAtEnd(),
                        g.longestPartitionPauseMillis() / 1000, r.seconds(), r.seed()));
            }
            if (r.groups().isEmpty()) {
                out.append("| ").append(r.test()).append(" | ").append(r.status()).append(" | ")
                        .append(r.brokers()).append(" | | | | | | | | | ")
                        .append(String.format(Locale.ROOT, "%.0f", r.seconds())).append(" | ").append(r.seed())
                        .append(" |\n");
            }
        }
        out.append("\nLost: acknowledged records never processed. A duplicate is explained when a fault accounts for "
                + "it: the record was at or above the committed offset read right after a consumer was killed or "
                + "cut off (or the last one read before a broker fault), and it was processed before the fault, "
                + "or one of its two processings was the victim's (a cut-off instance goes on with what it had "
                + "fetched, and may run a fetch held in flight when the network returns). An order violation is a record of a key processed for the first time after a later "
                + "record of that key. A pause is time in which a partition with records waiting processed none.\n");

        for (DeliveryResult r : results) {
            out.append("\n## ").append(r.test()).append(" - ").append(r.status()).append("\n\n")
                    .append(r.description()).append('\n');
            if (r.error() != null) {
                out.append("\nError: `").append(r.error().replace('`', '\'')).append("`\n");
            }
            if (!r.faults().isEmpty()) {
                out.append("\n| group | fault | target | partition pause s | group pause s | duplicates it "
                        + "explains |\n|---|---|---|---:|---:|---:|\n");
                for (GroupVerdict g : r.groups()) {
                    for (GroupVerdict.FaultRecovery f : g.faults()) {
                        out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %,d |%n", g.group(),
                                f.kind(), f.target(), f.partitionPauseMillis() / 1000,
                                f.timelinePauseMillis() / 1000, f.duplicatesExplained()));
                    }
                }
            }
            if (!r.checks().isEmpty()) {
                out.append("\n| check | result | detail |\n|---|---|---|\n");
                for (Check c : r.checks()) {
                    out.append("| ").append(c.name()).append(" | ").append(c.passed() ? "pass" : "FAIL")
                            .append(" | ").append(c.detail()).append(" |\n");
                }
            }
            for (GroupVerdict g : r.groups()) {
                if (!g.failures().isEmpty() || !g.examples().isEmpty()) {
                    out.append("\n").append(g.group()).append(": ").append(String.join("; ", g.failures()))
                            .append('\n');
                    g.examples().forEach(e -> out.append("- `").append(e).append("`\n"));
                }
            }
        }

        out.append("\n## Tuning, from these figures\n\n");
        List<String> advice = Recommendations.delivery(results);
        if (advice.isEmpty()) {
            out.append("Nothing measured here calls for a change of settings.\n");
        }
        advice.forEach(a -> out.append("- ").append(a).append('\n'));
        return out.toString();
    }

    private static String status(DeliveryResult result, GroupVerdict group) {
        if (!result.status().equals(Status.PASSED) && group.passed()) {
            return result.status() + " (group passed)";
        }
        return result.status();
    }

    private static long faultsOf(DeliveryResult result, GroupVerdict group) {
        return group.faults().stream().filter(f -> !f.kind().endsWith("restore")).count();
    }

    private static String line(String name, String value) {
        return "- " + name + ": " + value + "\n";
    }

    static List<Fault> faults(DeliveryResult result, String kind) {
        List<Fault> faults = new ArrayList<>();
        for (Fault fault : result.faults()) {
            if (fault.kind().equals(kind)) {
                faults.add(fault);
            }
        }
        return faults;
    }
}
