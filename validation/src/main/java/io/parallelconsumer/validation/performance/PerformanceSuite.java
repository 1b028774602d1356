package io.parallelconsumer.validation.performance;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.parallelconsumer.validation.Status;
import io.parallelconsumer.validation.cluster.CouldNotRunException;
import io.parallelconsumer.validation.process.ProcessSampler;
import io.parallelconsumer.validation.process.ProcessUsage;
import io.parallelconsumer.validation.report.Environment;
import io.parallelconsumer.validation.report.Results;
import io.parallelconsumer.validation.run.ConsumerInstance;
import io.parallelconsumer.validation.run.ProducerProcess;
import io.parallelconsumer.validation.run.Profile;
import io.parallelconsumer.validation.run.TestRun;
import io.parallelconsumer.validation.verify.Ack;
import io.parallelconsumer.validation.verify.GroupVerdict;
import io.parallelconsumer.validation.verify.LogReader;
import io.parallelconsumer.validation.verify.Processed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each performance test {@code rounds} times, each run on a fresh single-node cluster with one consumer
 * instance, and writes one JSON result per test with every run, the median and spread, and the goals.
 */
public final class PerformanceSuite {

    private static final Logger log = LoggerFactory.getLogger(PerformanceSuite.class);
    private static final String GROUP = "measured";
    /** Goal: end-to-end p95 of a live load. */
    static final double P95_GOAL_MILLIS = 100;
    /** Goal: startup. */
    static final double STARTUP_GOAL_SECONDS = 10;
    /** A rate is kept when the median run reaches this share of the target. */
    static final double RATE_KEPT = 0.98;

    private final Profile profile;
    private final long seed;
    private final int rounds;
    private final Path work;
    private final Path results;

    public PerformanceSuite(Profile profile, long seed, int rounds, Path work, Path results) {
        this.profile = profile;
        this.seed = seed;
        this.rounds = rounds;
        this.work = work;
        this.results = results;
    }

    public List<PerformanceResult> run(List<Load> loads) throws IOException, InterruptedException {
        List<PerformanceResult> all = new ArrayList<>();
        for (Load load : loads) {
            PerformanceResult result = run(load);
            Path file = Results.write(results.resolve("performance").resolve(load.name() + ".json"), result);
            log.info("{}: {} - {}", load.name(), result.status().toUpperCase(Locale.ROOT), file);
            all.add(result);
        }
        return all;
    }

    private PerformanceResult run(Load load) throws InterruptedException {
        String started = Instant.now().toString();
        List<PerformanceRun> runs = new ArrayList<>();
        String error = null;
        boolean couldNotRun = false;
        for (int round = 1; round <= rounds && error == null; round++) {
            log.info("{} run {} of {}: {}", load.name(), round, rounds, load.description());
            try {
                runs.add(runOnce(load, round));
            }
            catch (CouldNotRunException ex) {
                log.error("{} could not run", load.name(), ex);
                couldNotRun = true;
                error = ex.getMessage();
            }
            catch (IOException | RuntimeException ex) {
                log.error("{} failed", load.name(), ex);
                error = ex.toString();
            }
        }
        List<PerformanceResult.Goal> goals = runs.isEmpty() ? List.of() : goals(load, runs);
        String status = couldNotRun ? Status.COULD_NOT_RUN
                : error == null && goals.stream().allMatch(PerformanceResult.Goal::met) ? Status.PASSED
                : Status.FAILED;
        return new PerformanceResult(load.name(), load.description(), status, profile.name(), seed, started, load,
                Environment.capture(), runs, Spread.of(runs, PerformanceRun::producedRate),
                Spread.of(runs, PerformanceRun::consumedRate), Spread.of(runs, r -> r.latency().p50()),
                Spread.of(runs, r -> r.latency().p95()), Spread.of(runs, r -> r.latency().p99()),
                Spread.of(runs, PerformanceRun::startupSeconds), Spread.of(runs, PerformanceRun::drainSeconds),
                goals, error);
    }

    private PerformanceRun runOnce(Load load, int round) throws IOException, InterruptedException {
        Path directory = work.resolve("performance").resolve(load.name() + "-" + round);
        try (TestRun run = TestRun.start(load.name(), profile, seed + round, directory, 1);
                ProcessSampler sampler = new ProcessSampler()) {
            sampler.watch("broker", run.cluster().process(1).pid());
            ConsumerInstance consumer = run.consumer(GROUP, "a", false);
            if (load.live()) {
                consumer.start();
                run.awaitAssigned(GROUP);
                sampler.watch("consumer", consumer.process().pid());
                ProducerProcess producer = run.produce(load.rate(), load.seconds(), Long.MAX_VALUE,
                        load.valueBytes());
                sampler.watch("producer", producer.process().pid()).start();
                producer.awaitDone(load.seconds() + 300L);
            }
            else {
                ProducerProcess producer = run.produce(0, Duration.ofHours(1).toSeconds(), load.backlog(),
                        load.valueBytes());
                producer.awaitDone(Duration.ofHours(1).toSeconds());
                sampler.start();
                consumer.start();
                sampler.watch("consumer", consumer.process().pid());
            }
            run.awaitCommittedToEnd(List.of(GROUP), Duration.ofMinutes(10));
            List<ProcessUsage> usage = sampler.usage();
            run.stopConsumers();
            GroupVerdict verdict = run.verify(GROUP, List.of());
            List<Ack> acks = LogReader.acks(directory.resolve("producer.log"));
            List<Processed> processings = LogReader.processings(consumer.log().getParent());
            long[] started = LogReader.started(consumer.log());
            return figures(round, verdict, acks, processings, started[0], usage);
        }
    }

    static PerformanceRun figures(int round, GroupVerdict verdict, List<Ack> acks, List<Processed> processings,
            long jvmStartMicros, List<ProcessUsage> usage) {
        Map<String, Processed> first = new HashMap<>();
        for (Processed processed : processings) {
            first.merge(processed.partition() + "@" + processed.offset(), processed,
                    (a, b) -> a.startMicros() <= b.startMicros() ? a : b);
        }
        long firstSent = acks.stream().mapToLong(Ack::sentMicros).min().orElse(0);
        long lastAcked = acks.stream().mapToLong(Ack::ackedMicros).max().orElse(0);
        long firstStart = processings.stream().mapToLong(Processed::startMicros).min().orElse(0);
        long firstEnd = processings.stream().mapToLong(Processed::endMicros).min().orElse(0);
        long lastEnd = processings.stream().mapToLong(Processed::endMicros).max().orElse(0);
        return new PerformanceRun(round, verdict.acknowledged(), verdict.lost(), verdict.duplicates(),
                perSecond(acks.size(), lastAcked - firstSent), perSecond(first.size(), lastEnd - firstStart),
                Latency.of(first.values()), (firstEnd - jvmStartMicros) / 1e6, (lastEnd - jvmStartMicros) / 1e6,
                usage);
    }

    private static double perSecond(long count, long micros) {
        return micros <= 0 ? 0 : count / (micros / 1e6);
    }

    static List<PerformanceResult.Goal> goals(Load load, List<PerformanceRun> runs) {
        List<PerformanceResult.Goal> goals = new ArrayList<>();
        long lost = runs.stream().mapToLong(PerformanceRun::lost).sum();
        goals.add(new PerformanceResult.Goal("nothing lost", "0", Long.toString(lost), lost == 0));
        if (load.live()) {
            double produced = Spread.of(runs, PerformanceRun::producedRate).median();
            double consumed = Spread.of(runs, PerformanceRun::consumedRate).median();
            double kept = Math.min(produced, consumed);
            goals.add(new PerformanceResult.Goal("rate kept", String.format(Locale.ROOT, ">= %.0f records/s",
                    RATE_KEPT * load.rate()), String.format(Locale.ROOT, "%.0f sent, %.0f processed", produced,
                    consumed), kept >= RATE_KEPT * load.rate()));
            double p95 = Spread.of(runs, r -> r.latency().p95()).median();
            goals.add(new PerformanceResult.Goal("p95 end-to-end latency", String.format(Locale.ROOT, "< %.0f ms",
                    P95_GOAL_MILLIS), String.format(Locale.ROOT, "%.1f ms", p95), p95 < P95_GOAL_MILLIS));
        }
        if (load.name().equals("startup")) {
            double startup = Spread.of(runs, PerformanceRun::startupSeconds).median();
            goals.add(new PerformanceResult.Goal("startup", String.format(Locale.ROOT, "< %.0f s",
                    STARTUP_GOAL_SECONDS), String.format(Locale.ROOT, "%.1f s", startup),
                    startup < STARTUP_GOAL_SECONDS));
        }
        return goals;
    }

}
