package io.parallelconsumer.validation.delivery;

import java.util.ArrayList;
import java.util.List;

import io.parallelconsumer.validation.run.ConsumerInstance;
import io.parallelconsumer.validation.run.ProducerProcess;
import io.parallelconsumer.validation.run.Profile;
import io.parallelconsumer.validation.run.TestRun;
import io.parallelconsumer.validation.verify.Fault;
import io.parallelconsumer.validation.verify.GroupVerdict;

/**
 * Two groups read the same topic; one of them has its instances killed and restarted: each group must get every
 * record, and the other one must not notice (no duplicates, no fault of its own).
 */
final class MultipleGroupsTest implements DeliveryTest {

    static final String FAULTED = "team-a";
    static final String UNTOUCHED = "team-b";

    @Override
    public String name() {
        return "multiple-groups";
    }

    @Override
    public String description() {
        return "Two groups of two instances each on one topic; the instances of the first are killed with kill -9 "
                + "and started again in turn, the second is left alone.";
    }

    @Override
    public int brokers(Profile profile) {
        return profile.brokers();
    }

    @Override
    public Outcome run(TestRun run) throws Exception {
        Profile profile = run.profile();
        ConsumerInstance a = run.consumer(FAULTED, "a", false).start();
        ConsumerInstance b = run.consumer(FAULTED, "b", false).start();
        ConsumerInstance c = run.consumer(UNTOUCHED, "c", false).start();
        ConsumerInstance d = run.consumer(UNTOUCHED, "d", false).start();
        run.awaitAssigned(FAULTED);
        run.awaitAssigned(UNTOUCHED);
        ProducerProcess producer = run.produceUntilStopped();
        List<Fault> faults = new ArrayList<>();
        TestRun.underLoad(profile.faultSpacing());
        for (ConsumerInstance victim : List.of(a, b)) {
            faults.add(run.killAndRestart(victim));
        }
        producer.stopSending();
        run.awaitCommittedToEnd(List.of(FAULTED, UNTOUCHED), DeliveryTests.CATCH_UP);
        run.requireRunning(c, d);
        run.stopConsumers();
        GroupVerdict faulted = run.verify(FAULTED, faults);
        // The untouched group is verified with no fault at all: any duplicate of its own is unexplained.
        GroupVerdict untouched = run.verify(UNTOUCHED, List.of());
        return new Outcome(faults, List.of(faulted, untouched), List.of(
                new Check("untouched group saw no duplicate", untouched.duplicates() == 0,
                        untouched.duplicates() + " duplicates in " + UNTOUCHED)));
    }
}
