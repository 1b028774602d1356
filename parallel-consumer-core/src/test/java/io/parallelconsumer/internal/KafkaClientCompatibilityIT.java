package io.parallelconsumer.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.testing.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core against the oldest and the newest Kafka client it supports, each in a JVM of its own with only that
 * client on the class path (Maven copies them to {@code target/kafka-clients}), consuming from this JVM's broker;
 * and a client too old is refused at {@code build()}, before any record, naming the version found and the versions
 * supported.
 */
class KafkaClientCompatibilityIT {

    @Test
    void runsWithTheOldestSupportedClient() throws Exception {
        assertConsumesAll(System.getProperty("kafka-clients.oldest-supported"));
    }

    @Test
    void runsWithTheNewestTestedClient() throws Exception {
        assertConsumesAll(System.getProperty("kafka-clients.newest-tested"));
    }

    @Test
    void refusesAClientTooOldAtBuild() throws Exception {
        String version = System.getProperty("kafka-clients.unsupported");
        Result result = run(version, "unused", 0);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
        assertThat(result.output()).contains("BUILD-FAILED: ")
                .contains("kafka-clients " + version + " is on the class path, but it is older than 4.1")
                .contains("needs 4.1.0 or later 4.x");
    }

    private static void assertConsumesAll(String version) throws Exception {
        String topic = TestBroker.createTopic("compat-" + version, 1);
        TestBroker.produceSequenced(topic, 200, 20);
        Result result = run(version, topic, 200);
        assertThat(result.output()).contains("kafka-clients=" + version);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("state=STOPPED processed=200 committed=200");
    }

    private static Result run(String version, String topic, int count) throws IOException, InterruptedException {
        Path client = Paths.get(System.getProperty("kafka-clients.dir"), "kafka-clients-" + version + ".jar");
        assertThat(client).as("copied by the build").exists();
        String classPath = String.join(File.pathSeparator, location(io.parallelconsumer.ParallelConsumer.class),
                location(CompatibilityMain.class), location(org.slf4j.Logger.class), client.toString());
        Path output = Files.createTempFile("compat-" + version, ".log");
        Process process = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, CompatibilityMain.class.getName(), TestBroker.bootstrapServers(), topic,
                TestBroker.uniqueName("compat"), String.valueOf(count))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        return new Result(process.isAlive() ? -1 : process.exitValue(), text);
    }

    private static String location(Class<?> type) {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (java.net.URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private record Result(int exitCode, String output) {
    }
}
