package io.parallelconsumer.benchmarks.drain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) in its own JVM, started from the Kafka jars on
 * this JVM's class path: {@code kafka.tools.StorageTool format}, then {@code kafka.Kafka server.properties}. So the
 * broker does not share heap, GC or JIT with what is measured.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerProcess.class);

    private final Path directory;
    private final int port;
    private final Process process;

    private BrokerProcess(Path directory, int port, Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
    }

    /** Formats a fresh log directory, starts the broker and waits until it accepts connections. */
    public static BrokerProcess start(String heap) throws IOException, InterruptedException {
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
        run(List.of("kafka.tools.StorageTool", "format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", config.toString(), "--ignore-formatted"), heap, directory.resolve("format.log"))
                .waitFor();
        Process process = launch(List.of("kafka.Kafka", config.toString()), heap, directory.resolve("broker.log"));
        BrokerProcess broker = new BrokerProcess(directory, port, process);
        broker.awaitListening(Duration.ofSeconds(60));
        log.info("Broker process {} listening on localhost:{} (logs in {})", process.pid(), port, directory);
        return broker;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The broker's process id, to read its CPU time. */
    public long pid() {
        return process.pid();
    }

    private void awaitListening(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Broker exited with " + process.exitValue() + "; see "
                        + directory.resolve("broker.log"));
            }
            try (Socket socket = new Socket("localhost", port)) {
                return;
            }
            catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Broker did not listen on " + port + " within " + timeout);
    }

    private static Process run(List<String> mainAndArgs, String heap, Path logFile) throws IOException {
        return launch(mainAndArgs, heap, logFile);
    }

    private static Process launch(List<String> mainAndArgs, String heap, Path logFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
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
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
