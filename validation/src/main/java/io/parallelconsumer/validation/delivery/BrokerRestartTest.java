package io.parallelconsumer.validation.delivery;

import java.util.ArrayList;
import java.util.List;

import io.parallelconsumer.validation.cluster.BrokerCluster;
import io.parallelconsumer.validation.log.DurableLog;
import io.parallelconsumer.validation.run.ConsumerInstance;
import io.parallelconsumer.validation.run.ProducerProcess;
import io.parallelconsumer.validation.run.Profile;
import io.parallelconsumer.validation.run.TestRun;
import io.parallelconsumer.validation.verify.Fault;

/**
 * On a 3-node cluster: {@code kill -9} of the active controller, started again, then (full profile) a graceful
 * rolling restart of all three nodes; the consumers are never restarted.
 */
final class BrokerRestartTest implements DeliveryTest {

    static final String GROUP = "brokers";

    @Override
    public String name() {
        return "broker-restart";
    }

    @Override
    public String description() {
        return "Three nodes (replication 3, min.insync.replicas 2): the active controller is killed with kill -9 and "
                + "started again, then every node in turn is stopped gracefully and started again, while two "
                + "instances of one group consume and are never restarted.";
    }

    @Override
    public int brokers(Profile profile) {
        return 3;
    }

    @Override
    public Outcome run(TestRun run) throws Exception {
        Profile profile = run.profile();
        BrokerCluster cluster = run.cluster();
        List<String> topics = List.of(run.topic(), "__consumer_offsets");
        ConsumerInstance a = run.consumer(GROUP, "a", false).start();
        ConsumerInstance b = run.consumer(GROUP, "b", false).start();
        run.awaitAssigned(GROUP);
        ProducerProcess producer = run.produceUntilStopped();
        List<Fault> faults = new ArrayList<>();
        TestRun.underLoad(profile.faultSpacing());

        int controller = cluster.activeController();
        var committed = run.committed(GROUP);
        long at = DurableLog.nowMicros();
        cluster.kill(controller);
        faults.add(run.brokerFault("kill-broker", controller, at, committed));
        TestRun.underLoad(profile.faultSpacing());
        cluster.restart(controller);
        cluster.awaitFullyReplicated(topics);
        TestRun.underLoad(profile.faultSpacing());

        if (profile.rollingRestart()) {
            for (int node : cluster.nodeIds()) {
                committed = run.committed(GROUP);
                at = DurableLog.nowMicros();
                cluster.stop(node);
                faults.add(run.brokerFault("stop-broker", node, at, committed));
                cluster.restart(node);
                cluster.awaitFullyReplicated(topics);
                TestRun.underLoad(profile.faultSpacing().dividedBy(2));
            }
        }

        producer.stopSending();
        run.awaitCommittedToEnd(List.of(GROUP), DeliveryTests.CATCH_UP);
        boolean neverRestarted = a.isAlive() && b.isAlive() && a.starts() == 1 && b.starts() == 1;
        run.stopConsumers();
        return new Outcome(faults, List.of(run.verify(GROUP, faults)), List.of(
                new Check("consumers never restarted", neverRestarted, neverRestarted
                        ? "both instances ran from the first record to the last" : "an instance exited on its own")));
    }
}
