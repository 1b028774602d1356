package io.parallelconsumer.validation.delivery;

import java.util.ArrayList;
import java.util.List;

import io.parallelconsumer.validation.run.ConsumerInstance;
import io.parallelconsumer.validation.run.ProducerProcess;
import io.parallelconsumer.validation.run.Profile;
import io.parallelconsumer.validation.run.TestRun;
import io.parallelconsumer.validation.verify.Fault;

/** Kills a consumer instance ({@code kill -9}) mid-stream, again and again, and starts it again each time. */
final class ConsumerRestartTest implements DeliveryTest {

    static final String GROUP = "restarted";

    @Override
    public String name() {
        return "consumer-restart";
    }

    @Override
    public String description() {
        return "Two instances of one group; one of them is killed with kill -9 mid-stream and started again, "
                + "alternately, while the producer keeps sending.";
    }

    @Override
    public int brokers(Profile profile) {
        return profile.brokers();
    }

    @Override
    public Outcome run(TestRun run) throws Exception {
        Profile profile = run.profile();
        ConsumerInstance a = run.consumer(GROUP, "a", false).start();
        ConsumerInstance b = run.consumer(GROUP, "b", false).start();
        run.awaitAssigned(GROUP);
        ProducerProcess producer = run.produceUntilStopped();
        List<Fault> faults = new ArrayList<>();
        TestRun.underLoad(profile.faultSpacing());
        for (int i = 0; i < profile.consumerKills(); i++) {
            faults.add(run.killAndRestart(i % 2 == 0 ? a : b));
        }
        producer.stopSending();
        run.awaitCommittedToEnd(List.of(GROUP), DeliveryTests.CATCH_UP);
        run.stopConsumers();
        return new Outcome(faults, List.of(run.verify(GROUP, faults)), List.of(
                new Check("instances killed and started again", a.starts() + b.starts() == 2 + faults.size(),
                        faults.size() + " kills, " + (a.starts() + b.starts()) + " starts")));
    }
}
