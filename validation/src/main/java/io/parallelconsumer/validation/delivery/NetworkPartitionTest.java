package io.parallelconsumer.validation.delivery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.parallelconsumer.validation.log.DurableLog;
import io.parallelconsumer.validation.run.ConsumerInstance;
import io.parallelconsumer.validation.run.ProducerProcess;
import io.parallelconsumer.validation.run.Profile;
import io.parallelconsumer.validation.run.TestRun;
import io.parallelconsumer.validation.verify.Fault;
import io.parallelconsumer.validation.verify.LogReader;

/**
 * Cuts one instance off the cluster (its connections stay open and carry nothing) for longer than its session
 * timeout, then lets the bytes flow again: the group moves on without it, and it must come back by itself.
 */
final class NetworkPartitionTest implements DeliveryTest {

    static final String GROUP = "partitioned";

    @Override
    public String name() {
        return "network-partition";
    }

    @Override
    public String description() {
        return "Two instances of one group, one of them reaching the cluster through a proxy that stops forwarding "
                + "for twice the session timeout and then forwards again.";
    }

    @Override
    public int brokers(Profile profile) {
        return profile.brokers();
    }

    @Override
    public Outcome run(TestRun run) throws Exception {
        Profile profile = run.profile();
        ConsumerInstance cutOff = run.consumer(GROUP, "a", true).start();
        ConsumerInstance other = run.consumer(GROUP, "b", false).start();
        run.awaitAssigned(GROUP);
        ProducerProcess producer = run.produceUntilStopped();
        List<Fault> faults = new ArrayList<>();
        TestRun.underLoad(profile.faultSpacing());

        long cutAt = DurableLog.nowMicros();
        run.cluster().partition(true);
        faults.add(run.consumerFault("network-cut", cutOff, cutAt, true));
        TestRun.underLoad(profile.cut());
        long restoredAt = DurableLog.nowMicros();
        run.cluster().partition(false);
        // Not a fault that makes work be redone; it closes the cut's recovery window and opens its own.
        faults.add(new Fault("network-restore", cutOff.incarnation(), restoredAt, Set.of(), Map.of(), false));
        TestRun.underLoad(profile.faultSpacing().multipliedBy(2));

        producer.stopSending();
        run.awaitCommittedToEnd(List.of(GROUP), DeliveryTests.CATCH_UP);
        run.requireRunning(cutOff, other);
        run.stopConsumers();
        long afterRestore = processedAfter(cutOff, restoredAt);
        return new Outcome(faults, List.of(run.verify(GROUP, faults)), List.of(
                new Check("cut-off instance back at work", afterRestore > 0, cutOff.incarnation() + " processed "
                        + afterRestore + " records after the network came back, without a restart")));
    }

    private static long processedAfter(ConsumerInstance instance, long micros) throws IOException {
        return LogReader.processings(instance.log().getParent()).stream()
                .filter(p -> p.instance().equals(instance.incarnation()) && p.startMicros() > micros).count();
    }
}
