package io.parallelconsumer.validation.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.parallelconsumer.validation.cluster.BrokerCluster;
import io.parallelconsumer.validation.cluster.CouldNotRunException;
import io.parallelconsumer.validation.log.DurableLog;
import io.parallelconsumer.validation.process.ChildProcesses;
import io.parallelconsumer.validation.verify.DeliveryVerifier;
import io.parallelconsumer.validation.verify.Fault;
import io.parallelconsumer.validation.verify.GroupVerdict;
import io.parallelconsumer.validation.verify.LogReader;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one test runs on: a fresh cluster in a fresh directory, a fresh topic, the consumer instances and the
 * producer it starts, and the reads of committed and log-end offsets the checks need. Closing it kills every
 * process it started.
 */
public final class TestRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestRun.class);

    private final Profile profile;
    private final long seed;
    private final Path directory;
    private final ChildProcesses processes;
    private final BrokerCluster cluster;
    private final String topic;
    private final List<ConsumerInstance> consumers = new ArrayList<>();

    private TestRun(Profile profile, long seed, Path directory, ChildProcesses processes, BrokerCluster cluster,
            String topic) {
        this.profile = profile;
        this.seed = seed;
        this.directory = directory;
        this.processes = processes;
        this.cluster = cluster;
        this.topic = topic;
    }

    /** Starts a cluster of {@code brokers} nodes and creates the test's topic. */
    public static TestRun start(String test, Profile profile, long seed, Path directory, int brokers)
            throws IOException, InterruptedException {
        ChildProcesses processes = new ChildProcesses();
        try {
            BrokerCluster cluster = BrokerCluster.start(processes, directory.resolve("cluster"), brokers, "512m");
            String topic = "validation-" + test;
            cluster.createTopic(topic, profile.partitions());
            log.info("{}: topic {} with {} partitions on {} node(s); logs in {}", test, topic, profile.partitions(),
                    brokers, directory);
            return new TestRun(profile, seed, directory, processes, cluster, topic);
        }
        catch (IOException | InterruptedException | RuntimeException ex) {
            processes.close();
            throw ex;
        }
    }

    public Profile profile() {
        return profile;
    }

    public BrokerCluster cluster() {
        return cluster;
    }

    public String topic() {
        return topic;
    }

    public ChildProcesses processes() {
        return processes;
    }

    /**
     * A consumer instance of {@code group}, not started yet.
     * @param proxied whether it reaches the cluster through the proxies that can cut it off
     */
    public ConsumerInstance consumer(String group, String name, boolean proxied) {
        List<String> arguments = List.of(
                "--spring.kafka.bootstrap-servers=" + (proxied ? cluster.proxiedBootstrapServers()
                        : cluster.bootstrapServers()),
                "--spring.kafka.consumer.properties.session.timeout.ms=" + profile.sessionTimeout().toMillis(),
                "--spring.kafka.consumer.properties.heartbeat.interval.ms="
                        + Math.max(500, profile.sessionTimeout().toMillis() / 6),
                "--validation.topic=" + topic,
                "--validation.group=" + group,
                "--validation.work=" + profile.work().toMillis() + "ms");
        ConsumerInstance consumer = new ConsumerInstance(processes, name, group, directory.resolve(group), arguments);
        consumers.add(consumer);
        return consumer;
    }

    /** Starts the producer at the profile's rate until {@link ProducerProcess#stopSending()}. */
    public ProducerProcess produceUntilStopped() throws IOException {
        return produce(profile.rate(), Duration.ofDays(1).toSeconds(), Long.MAX_VALUE, profile.valueBytes());
    }

    /**
     * Starts the producer.
     * @param rate records per second, 0 for as fast as it goes
     * @param maxRecords when to stop, at the latest
     */
    public ProducerProcess produce(int rate, long seconds, long maxRecords, int valueBytes) throws IOException {
        log.info("Producing {} records/s for {} s, {} records at most (seed {})", rate, seconds, maxRecords, seed);
        return ProducerProcess.start(processes, directory, cluster.bootstrapServers(), topic, rate, seconds,
                maxRecords, profile.keys(), valueBytes, seed);
    }

    /** The group's committed offset of each partition of the topic, retried while the coordinator moves. */
    public Map<Integer, Long> committed(String group) {
        return Awaitility.await("committed offsets of " + group).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                    Map<TopicPartition, OffsetAndMetadata> offsets = cluster.admin().listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get();
                    Map<Integer, Long> committed = new HashMap<>();
                    offsets.forEach((partition, offset) -> {
                        if (partition.topic().equals(topic) && offset != null) {
                            committed.put(partition.partition(), offset.offset());
                        }
                    });
                    return committed;
                }, committed -> true);
    }

    /** The topic's log-end offset of each partition. */
    public Map<Integer, Long> logEnd() {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int partition = 0; partition < profile.partitions(); partition++) {
            request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        return Awaitility.await("log-end offsets of " + topic).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> cluster.admin()
                        .listOffsets(request).all().get().entrySet().stream()
                        .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset())),
                        ends -> true);
    }

    /**
     * Waits until every group has committed up to the log end (the producer has stopped). Returns false, rather
     * than failing, when it does not happen in time: the verdict then counts what was not committed or lost.
     */
    public boolean awaitCommittedToEnd(List<String> groups, Duration timeout) {
        Map<Integer, Long> end = logEnd();
        try {
            Awaitility.await("groups " + groups + " committed to the log end").atMost(timeout)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> groups.stream().allMatch(group -> caughtUp(committed(group), end)));
            return true;
        }
        catch (ConditionTimeoutException ex) {
            log.warn("Groups {} did not commit up to the log end {} within {}", groups, end, timeout);
            return false;
        }
    }

    private static boolean caughtUp(Map<Integer, Long> committed, Map<Integer, Long> end) {
        return end.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), 0L).equals(e.getValue()));
    }

    /**
     * Waits until the group is stable with every partition of the topic assigned to one of its members: a
     * consumer's listener runs before its first assignment, and load sent before it would wait for the group join.
     */
    public void awaitAssigned(String group) {
        try {
            Awaitility.await(group + " assigned every partition").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                        ConsumerGroupDescription description = cluster.admin().describeConsumerGroups(List.of(group))
                                .describedGroups().get(group).get();
                        long assigned = description.members().stream()
                                .flatMap(m -> m.assignment().topicPartitions().stream())
                                .filter(p -> p.topic().equals(topic)).count();
                        return description.groupState() == GroupState.STABLE && assigned == profile.partitions();
                    });
        }
        catch (ConditionTimeoutException ex) {
            throw new CouldNotRunException("Group " + group + " did not get every partition of " + topic, ex);
        }
    }

    /** A consumer fault: the offsets that bound what may be redone are read right after it. */
    public Fault consumerFault(String kind, ConsumerInstance victim, long atMicros, boolean redoAllowed) {
        return new Fault(kind, victim.incarnation(), atMicros, Set.of(victim.incarnation()),
                committed(victim.group()), redoAllowed);
    }

    /**
     * {@code kill -9} of the victim; the group goes on without it for half the profile's fault spacing, then it is
     * started again and the load runs for a fault spacing. Returns the fault.
     */
    public Fault killAndRestart(ConsumerInstance victim) throws IOException, InterruptedException {
        long at = DurableLog.nowMicros();
        victim.kill();
        Fault fault = consumerFault("kill-consumer", victim, at, true);
        underLoad(profile.faultSpacing().dividedBy(2));
        victim.start();
        underLoad(profile.faultSpacing());
        return fault;
    }

    /** A broker fault: any member may redo what it finished after {@code committedBefore}, read before the fault. */
    public Fault brokerFault(String kind, int node, long atMicros, Map<Integer, Long> committedBefore) {
        return new Fault(kind, "node " + node, atMicros, Set.of(), committedBefore, true);
    }

    /** Stops every consumer still running, gracefully, so that its last commit is made. */
    public void stopConsumers() throws InterruptedException {
        for (ConsumerInstance consumer : consumers) {
            if (consumer.isAlive()) {
                consumer.stop();
            }
        }
    }

    /** Verifies a group's logs against the producer's; call after {@link #stopConsumers()}. */
    public GroupVerdict verify(String group, List<Fault> faults) throws IOException {
        return DeliveryVerifier.verify(group, LogReader.acks(directory.resolve("producer.log")),
                LogReader.processings(directory.resolve(group)), faults, committed(group), logEnd());
    }

    public long failedSends() throws IOException {
        return LogReader.failedSends(directory.resolve("producer.log"));
    }

    public Path directory() {
        return directory;
    }

    public long seed() {
        return seed;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        }
        finally {
            processes.close();
        }
    }

    /** Lets the load run: the scenario's pace between faults. */
    public static void underLoad(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /** Throws when a consumer that must not have stopped has. */
    public void requireRunning(ConsumerInstance... instances) {
        for (ConsumerInstance instance : instances) {
            if (!instance.isAlive()) {
                throw new IllegalStateException(instance.incarnation() + " exited with "
                        + instance.process().exitValue() + "; see " + instance.process().output());
            }
        }
    }
}
