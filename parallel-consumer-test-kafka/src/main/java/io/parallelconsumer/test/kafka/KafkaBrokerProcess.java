package io.parallelconsumer.test.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) in its own JVM, started from the Kafka jars on
 * this JVM's class path (spring-kafka-test brings them): {@code kafka.tools.StorageTool format}, then
 * {@code kafka.Kafka server.properties}. For what a broker in the test's own JVM cannot do: be killed ({@link #kill})
 * and started again on the same port and log ({@link #restart}), or not share heap, GC and JIT with what a benchmark
 * measures.
 */
public final class KafkaBrokerProcess implements KafkaBroker {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcess.class);

    private final Path directory;
    private final Path config;
    private final String heap;
    private final int port;
    private volatile Process process;

    private KafkaBrokerProcess(Path directory, Path config, String heap, int port, Process process) {
        this.directory = directory;
        this.config = config;
        this.heap = heap;
        this.port = port;
        this.process = process;
    }

    /** Formats a fresh log directory, starts the broker and waits until it accepts connections. */
    public static KafkaBrokerProcess start(String heap) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("pc-broker-");
        int port = freePort();
        int controllerPort = freePort();
        Path config = directory.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=PLAINTEXT://localhost:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + directory.resolve("logs"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") );
        launch(List.of("kafka.tools.StorageTool", "format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", config.toString(), "--ignore-formatted"), heap, directory.resolve("format.log"))
                .waitFor();
        KafkaBrokerProcess broker = new KafkaBrokerProcess(directory, config, heap, port, launch(config, heap,
                directory));
        broker.awaitListening(Duration.ofSeconds(60));
        log.info("Broker process {} listening on localhost:{} (logs in {})", broker.pid(), port, directory);
        return broker;
    }

    private static Process launch(Path config, String heap, Path directory) throws IOException {
        // Appended to, so that the log of a broker restarted after a kill keeps what the killed one wrote.
        return launch(List.of("kafka.Kafka", config.toString()), heap, directory.resolve("broker.log"));
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public BrokerSource source() {
        return BrokerSource.EXTERNAL;
    }

    /** Kills the broker at once ({@code kill -9}): no controlled shutdown, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Whether the broker's process is running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Starts the broker again, on the same port with the same log, after {@link #kill} or {@link #close}. */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("Broker process " + process.pid() + " is still running; kill it first");
        }
        process = launch(config, heap, directory);
        awaitListening(Duration.ofSeconds(60));
        log.info("Broker process {} restarted on localhost:{}", process.pid(), port);
    }

    /** The broker's process id, to read its CPU time. */
    public long pid() {
        return process.pid();
    }

    private void awaitListening(Duration timeout) {
        try {
            Awaitility.await("broker process listening on " + port).atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100)).until(this::listening);
        }
        catch (ConditionTimeoutException ex) {
            throw new IllegalStateException("Broker did not listen on " + port + " within " + timeout + "; see "
                    + directory.resolve("broker.log"), ex);
        }
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("Broker exited with " + process.exitValue() + "; see "
                    + directory.resolve("broker.log"));
        }
        try (Socket socket = new Socket("localhost", port)) {
            return true;
        }
        catch (IOException notYet) {
            return false;
        }
    }

    private static Process launch(List<String> mainAndArgs, String heap, Path logFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Stops the broker (a graceful shutdown, forced after 30 s); {@link #restart} may start it again. */
    @Override
    public void close() {
        Process process = this.process;
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
