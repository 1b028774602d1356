package io.parallelconsumer.validation.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.parallelconsumer.validation.Status;
import io.parallelconsumer.validation.cluster.CouldNotRunException;
import io.parallelconsumer.validation.report.Environment;
import io.parallelconsumer.validation.report.Results;
import io.parallelconsumer.validation.run.Profile;
import io.parallelconsumer.validation.run.TestRun;
import io.parallelconsumer.validation.verify.GroupVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs delivery tests one after another, each on fresh brokers, and writes one JSON result per test. */
public final class DeliverySuite {

    private static final Logger log = LoggerFactory.getLogger(DeliverySuite.class);

    private final Profile profile;
    private final long seed;
    private final Path work;
    private final Path results;

    /**
     * @param work where the brokers' data and the processes' logs go (kept, to look into after a failure)
     * @param results where the JSON results go
     */
    public DeliverySuite(Profile profile, long seed, Path work, Path results) {
        this.profile = profile;
        this.seed = seed;
        this.work = work;
        this.results = results;
    }

    public List<DeliveryResult> run(List<DeliveryTest> tests) throws IOException, InterruptedException {
        List<DeliveryResult> all = new ArrayList<>();
        for (DeliveryTest test : tests) {
            DeliveryResult result = run(test);
            Path file = Results.write(results.resolve("delivery").resolve(test.name() + ".json"), result);
            log.info("{}: {} ({} s) - {}", test.name(), result.status().toUpperCase(Locale.ROOT),
                    Math.round(result.seconds()), file);
            all.add(result);
        }
        return all;
    }

    private DeliveryResult run(DeliveryTest test) throws IOException, InterruptedException {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        int brokers = test.brokers(profile);
        Path directory = work.resolve(test.name());
        Files.createDirectories(directory);
        log.info("{}: {} (profile {}, seed {}, {} node(s))", test.name(), test.description(), profile.name(), seed,
                brokers);
        DeliveryTest.Outcome outcome = null;
        String status;
        String error = null;
        long failedSends = 0;
        try (TestRun run = TestRun.start(test.name(), profile, seed, directory, brokers)) {
            try {
                outcome = test.run(run);
                status = outcome.passed() ? Status.PASSED : Status.FAILED;
                failedSends = run.failedSends();
                outcome.groups().stream().flatMap(g -> g.failures().stream().map(f -> g.group() + ": " + f))
                        .forEach(failure -> log.warn("{}: {}", test.name(), failure));
                outcome.checks().stream().filter(c -> !c.passed())
                        .forEach(c -> log.warn("{}: check failed: {} - {}", test.name(), c.name(), c.detail()));
            }
            catch (CouldNotRunException ex) {
                throw ex;
            }
            catch (Exception ex) {
                // Set up, then broke while running: a fault of the system under test until shown otherwise.
                log.error("{} failed while running", test.name(), ex);
                status = Status.FAILED;
                error = ex.toString();
            }
        }
        catch (CouldNotRunException ex) {
            log.error("{} could not run", test.name(), ex);
            status = Status.COULD_NOT_RUN;
            error = ex.getMessage();
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new DeliveryResult(test.name(), test.description(), status, started.toString(), seconds, seed,
                brokers, profile, Environment.capture(), failedSends,
                outcome == null ? List.of() : outcome.faults(),
                outcome == null ? List.<GroupVerdict>of() : outcome.groups(),
                outcome == null ? List.<Check>of() : outcome.checks(), error);
    }

}
