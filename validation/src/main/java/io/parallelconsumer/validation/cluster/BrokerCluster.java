package io.parallelconsumer.validation.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import io.parallelconsumer.test.kafka.StallingProxy;
import io.parallelconsumer.validation.process.ChildProcess;
import io.parallelconsumer.validation.process.ChildProcesses;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft cluster of 1 or 3 nodes, each a broker and a controller in its own JVM, from the Kafka jars on the class
 * path. With 3 nodes, topics are replicated 3 times with {@code min.insync.replicas=2}, so one node may die without
 * losing an acknowledged record. Each node also has a listener of its own that it advertises at a
 * {@link StallingProxy}'s port: a client bootstrapped at {@link #proxiedBootstrapServers()} talks to every node
 * through those proxies only, and {@link #partition(boolean)} cuts it off while the rest of the cluster and its other
 * clients carry on.
 */
public final class BrokerCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerCluster.class);
    private static final Duration READY = Duration.ofSeconds(90);

    private final ChildProcesses processes;
    private final Path directory;
    private final List<Node> nodes;
    private final List<StallingProxy> proxies;
    private final Admin admin;

    private BrokerCluster(ChildProcesses processes, Path directory, List<Node> nodes, List<StallingProxy> proxies) {
        this.processes = processes;
        this.directory = directory;
        this.nodes = nodes;
        this.proxies = proxies;
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        this.admin = Admin.create(config);
    }

    /**
     * Formats fresh log directories under {@code directory} and starts the nodes; returns once every node is a live
     * broker of the cluster.
     * @throws CouldNotRunException when the cluster does not come up
     */
    public static BrokerCluster start(ChildProcesses processes, Path directory, int size, String heap)
            throws IOException, InterruptedException {
        if (size != 1 && size != 3) {
            throw new IllegalArgumentException("A cluster of 1 or 3 nodes, not " + size);
        }
        List<Node> nodes = new ArrayList<>();
        List<StallingProxy> proxies = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            StallingProxy proxy = new StallingProxy();
            proxies.add(proxy);
            nodes.add(new Node(id, freePort(), freePort(), freePort(), proxy.port(), directory.resolve("node-" + id),
                    heap));
        }
        String voters = nodes.stream().map(n -> n.id + "@localhost:" + n.controllerPort)
                .collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < size; i++) {
            Node node = nodes.get(i);
            proxies.get(i).upstream(node.proxiedPort);
            node.writeConfig(voters, size);
            ChildProcess format = processes.start("format-" + node.id, "256m", List.of(), "kafka.tools.StorageTool",
                    List.of("format", "--cluster-id", clusterId, "--config", node.config().toString(),
                            "--ignore-formatted"), node.directory.resolve("format.log"));
            if (!format.awaitExit(60) || format.exitValue() != 0) {
                throw new CouldNotRunException("Formatting node " + node.id + " failed; see " + format.output());
            }
        }
        BrokerCluster cluster = new BrokerCluster(processes, directory, nodes, proxies);
        try {
            for (Node node : nodes) {
                node.launch(processes);
            }
            cluster.awaitAllBrokers();
        }
        catch (RuntimeException ex) {
            cluster.close();
            throw new CouldNotRunException("The " + size + "-node cluster did not start within " + READY + "; see "
                    + directory, ex);
        }
        log.info("{}-node cluster up at {}", size, cluster.bootstrapServers());
        return cluster;
    }

    public int size() {
        return nodes.size();
    }

    public String bootstrapServers() {
        return nodes.stream().map(n -> "localhost:" + n.port).collect(Collectors.joining(","));
    }

    /** Bootstrap servers that reach every node through the proxies, which {@link #partition} stalls. */
    public String proxiedBootstrapServers() {
        return nodes.stream().map(n -> "localhost:" + n.proxyPort).collect(Collectors.joining(","));
    }

    /** Stops (true) or resumes (false) every byte between the proxied clients and the cluster. */
    public void partition(boolean cut) {
        proxies.forEach(proxy -> proxy.forward(!cut));
    }

    public Admin admin() {
        return admin;
    }

    /** Node ids, 1 to {@link #size()}. */
    public List<Integer> nodeIds() {
        return nodes.stream().map(n -> n.id).toList();
    }

    /** The node that is the active controller now. */
    public int activeController() throws InterruptedException {
        try {
            return admin.describeMetadataQuorum().quorumInfo().get().leaderId();
        }
        catch (java.util.concurrent.ExecutionException ex) {
            throw new IllegalStateException("Cannot describe the metadata quorum", ex.getCause());
        }
    }

    /** The node's process, to sample its CPU and memory. */
    public ChildProcess process(int nodeId) {
        return node(nodeId).process;
    }

    /** {@code kill -9} of one node. */
    public void kill(int nodeId) throws InterruptedException {
        node(nodeId).process.kill();
        log.info("Killed node {}", nodeId);
    }

    /** A graceful stop of one node (controlled shutdown: its partitions' leadership moves first). */
    public void stop(int nodeId) throws InterruptedException {
        node(nodeId).process.stop(60);
        log.info("Stopped node {}", nodeId);
    }

    /** Starts a node again on its ports and log, and waits until it is a live broker of the cluster again. */
    public void restart(int nodeId) throws IOException, InterruptedException {
        Node node = node(nodeId);
        if (node.process.isAlive()) {
            throw new IllegalStateException("Node " + nodeId + " is still running; kill or stop it first");
        }
        node.launch(processes);
        awaitAllBrokers();
        log.info("Restarted node {}", nodeId);
    }

    /** Creates a topic replicated on every node (3 nodes: {@code min.insync.replicas=2}) and waits for its leaders. */
    public void createTopic(String topic, int partitions) throws InterruptedException {
        short replication = (short) nodes.size();
        NewTopic newTopic = new NewTopic(topic, partitions, replication)
                .configs(Map.of("min.insync.replicas", nodes.size() == 3 ? "2" : "1"));
        try {
            admin.createTopics(List.of(newTopic)).all().get();
        }
        catch (java.util.concurrent.ExecutionException ex) {
            throw new CouldNotRunException("Cannot create topic " + topic, ex.getCause());
        }
        awaitFullyReplicated(List.of(topic));
    }

    /** Waits until every partition of the topics has all its replicas in sync (after a node came back). */
    public void awaitFullyReplicated(List<String> topics) {
        Awaitility.await("in-sync replicas of " + topics).atMost(READY).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
                    return described.values().stream().flatMap(d -> d.partitions().stream())
                            .allMatch(BrokerCluster::fullyReplicated);
                });
    }

    private static boolean fullyReplicated(TopicPartitionInfo partition) {
        return partition.leader() != null && partition.isr().size() == partition.replicas().size();
    }

    private void awaitAllBrokers() {
        Awaitility.await("all " + nodes.size() + " brokers registered").atMost(READY)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsMatching(ex -> !(ex instanceof CouldNotRunException)).until(() -> {
                    for (Node node : nodes) {
                        if (!node.process.isAlive()) {
                            throw new CouldNotRunException("Node " + node.id + " exited with "
                                    + node.process.exitValue() + "; see " + node.process.output());
                        }
                        if (!node.listening()) {
                            return false;
                        }
                    }
                    return admin.describeCluster().nodes().get().size() == nodes.size();
                });
    }

    private Node node(int nodeId) {
        return nodes.stream().filter(n -> n.id == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No node " + nodeId + " in " + nodeIds()));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        for (Node node : nodes) {
            if (node.process != null && node.process.isAlive()) {
                try {
                    node.process.kill();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (StallingProxy proxy : proxies) {
            try {
                proxy.close();
            }
            catch (IOException ex) {
                log.debug("Closing a proxy failed", ex);
            }
        }
        log.debug("Cluster in {} closed", directory);
    }

    private static final class Node {

        final int id;
        final int port;
        final int controllerPort;
        final int proxiedPort;
        final int proxyPort;
        final Path directory;
        final String heap;
        ChildProcess process;

        Node(int id, int port, int controllerPort, int proxiedPort, int proxyPort, Path directory, String heap) {
            this.id = id;
            this.port = port;
            this.controllerPort = controllerPort;
            this.proxiedPort = proxiedPort;
            this.proxyPort = proxyPort;
            this.directory = directory;
            this.heap = heap;
        }

        Path config() {
            return directory.resolve("server.properties");
        }

        void writeConfig(String voters, int size) throws IOException {
            Files.createDirectories(directory);
            int replication = size;
            int minIsr = size == 3 ? 2 : 1;
            Files.writeString(config(), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=" + id,
                    "controller.quorum.voters=" + voters,
                    "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort
                            + ",PROXIED://localhost:" + proxiedPort,
                    "advertised.listeners=PLAINTEXT://localhost:" + port + ",PROXIED://localhost:" + proxyPort,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT",
                    "log.dirs=" + directory.resolve("logs"),
                    "num.partitions=1",
                    "default.replication.factor=" + replication,
                    "min.insync.replicas=" + minIsr,
                    "offsets.topic.replication.factor=" + replication,
                    "offsets.topic.num.partitions=6",
                    "transaction.state.log.replication.factor=" + replication,
                    "transaction.state.log.min.isr=" + minIsr,
                    "group.initial.rebalance.delay.ms=0",
                    // A killed node's partitions get a new leader this soon; the default is 9 s.
                    "broker.session.timeout.ms=6000",
                    "broker.heartbeat.interval.ms=1000",
                    ""));
        }

        void launch(ChildProcesses processes) throws IOException {
            // Appended to, so that the log of a node restarted after a kill keeps what the killed one wrote.
            process = processes.start("broker-" + id, heap, List.of("-XX:+UseG1GC"), "kafka.Kafka",
                    List.of(config().toString()), directory.resolve("broker.log"));
        }

        boolean listening() {
            try (Socket socket = new Socket("localhost", port)) {
                return true;
            }
            catch (IOException notYet) {
                return false;
            }
        }
    }
}
