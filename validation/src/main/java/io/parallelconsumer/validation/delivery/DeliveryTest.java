package io.parallelconsumer.validation.delivery;

import java.util.List;

import io.parallelconsumer.validation.run.Profile;
import io.parallelconsumer.validation.run.TestRun;
import io.parallelconsumer.validation.verify.Fault;
import io.parallelconsumer.validation.verify.GroupVerdict;

/** One delivery test: sets up its consumers and load on a fresh cluster, injects its faults, and checks. */
public interface DeliveryTest {

    /** As the command line and the results name it, for example {@code consumer-restart}. */
    String name();

    /** One sentence for the report. */
    String description();

    /** Nodes of the cluster it needs. */
    int brokers(Profile profile);

    Outcome run(TestRun run) throws Exception;

    /** What a test saw: its faults, the verdict of each group and its own checks. */
    record Outcome(List<Fault> faults, List<GroupVerdict> groups, List<Check> checks) {

        public boolean passed() {
            return groups.stream().allMatch(GroupVerdict::passed) && checks.stream().allMatch(Check::passed);
        }
    }
}
