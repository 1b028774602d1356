package io.parallelconsumer.validation.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.parallelconsumer.validation.log.DurableLog;
import io.parallelconsumer.validation.log.LogLine;
import io.parallelconsumer.validation.run.ConsumerInstance;
import io.parallelconsumer.validation.run.ProducerProcess;
import io.parallelconsumer.validation.run.Profile;
import io.parallelconsumer.validation.run.TestRun;
import io.parallelconsumer.validation.verify.Fault;
import io.parallelconsumer.validation.verify.GroupVerdict;
import io.parallelconsumer.validation.verify.LogReader;
import io.parallelconsumer.validation.verify.Processed;
import org.awaitility.Awaitility;

/**
 * One instance holds a record (it runs for minutes) while later records of its partition finish; the instance is
 * stopped gracefully and started again: it must start from the committed offset, below the held record, and skip
 * every record the commit metadata says was done - none redone. Then it is killed and started again: it may redo
 * only what it finished since its last commit.
 */
final class OffsetRecoveryTest implements DeliveryTest {

    static final String GROUP = "recovering";
    private static final String HELD_KEY = "k0";
    private static final long HELD_SEQUENCE = 5;
    /** Records of the held record's partition finished above it before the stop. */
    private static final int FINISHED_ABOVE = 50;

    @Override
    public String name() {
        return "offset-recovery";
    }

    @Override
    public String description() {
        return "One instance, one record held running while later ones finish: a graceful stop and start must redo "
                + "nothing (the commit metadata lists what was done above the committed offset); a kill -9 and "
                + "start may redo only what was finished since the last commit.";
    }

    @Override
    public int brokers(Profile profile) {
        return profile.brokers();
    }

    @Override
    public Outcome run(TestRun run) throws Exception {
        Profile profile = run.profile();
        ConsumerInstance instance = run.consumer(GROUP, "a", false).start(Map.of("validation.hold-key", HELD_KEY,
                "validation.hold-sequence", Long.toString(HELD_SEQUENCE), "validation.hold-for", "10m"));
        String first = instance.incarnation();
        run.awaitAssigned(GROUP);
        ProducerProcess producer = run.produceUntilStopped();
        List<Fault> faults = new ArrayList<>();

        long[] held = Awaitility.await("the held record begun").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200)).until(() -> heldRecord(instance), h -> h != null);
        Awaitility.await(FINISHED_ABOVE + " records finished above the held one").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> finishedAbove(instance, (int) held[0], held[1]) >= FINISHED_ABOVE);

        long stoppedAt = DurableLog.nowMicros();
        instance.stop();
        Map<Integer, Long> committedAtStop = run.committed(GROUP);
        faults.add(new Fault("stop-consumer", first, stoppedAt, Set.of(first), committedAtStop, false));
        long aboveCommit = LogReader.processings(instance.log().getParent()).stream()
                .filter(p -> p.instance().equals(first)
                        && p.offset() >= committedAtStop.getOrDefault(p.partition(), 0L))
                .count();
        long heldCommitted = committedAtStop.getOrDefault((int) held[0], 0L);

        instance.start();
        String second = instance.incarnation();
        TestRun.underLoad(profile.faultSpacing());
        faults.add(run.killAndRestart(instance));

        producer.stopSending();
        run.awaitCommittedToEnd(List.of(GROUP), DeliveryTests.CATCH_UP);
        run.stopConsumers();
        GroupVerdict verdict = run.verify(GROUP, faults);
        List<Processed> heldProcessings = LogReader.processings(instance.log().getParent()).stream()
                .filter(p -> p.partition() == held[0] && p.offset() == held[1]).toList();
        long redoneAfterStop = redone(LogReader.processings(instance.log().getParent()), first, second);
        return new Outcome(faults, List.of(verdict), List.of(
                new Check("stopped with finished records above the committed offset",
                        heldCommitted <= held[1] && aboveCommit > 0, "partition " + held[0] + " committed at "
                                + heldCommitted + " with the held record at " + held[1] + "; " + aboveCommit
                                + " records finished at or above the committed offsets"),
                new Check("nothing redone after the graceful stop", redoneAfterStop == 0, redoneAfterStop
                        + " records " + first + " had finished were processed again by " + second),
                new Check("held record processed once, after the restart", heldProcessings.size() == 1
                        && heldProcessings.get(0).instance().equals(second), heldProcessings.size()
                                + " processings of " + held[0] + "@" + held[1])));
    }

    /** {partition, offset} of the held record once the instance has begun it. */
    private static long[] heldRecord(ConsumerInstance instance) throws IOException {
        try (Stream<String> lines = Files.lines(instance.log())) {
            return lines.filter(line -> line.startsWith(LogLine.SLOW + "\t")).findFirst().map(line -> {
                String[] f = line.split("\t");
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
            }).orElse(null);
        }
    }

    private static long finishedAbove(ConsumerInstance instance, int partition, long offset) throws IOException {
        return LogReader.processings(instance.log().getParent()).stream()
                .filter(p -> p.partition() == partition && p.offset() > offset).count();
    }

    /** Records {@code before} processed that {@code after} processed again. */
    private static long redone(List<Processed> processings, String before, String after) {
        Set<String> done = processings.stream().filter(p -> p.instance().equals(before))
                .map(p -> p.partition() + "@" + p.offset()).collect(Collectors.toSet());
        return processings.stream().filter(p -> p.instance().equals(after))
                .filter(p -> done.contains(p.partition() + "@" + p.offset())).count();
    }
}
