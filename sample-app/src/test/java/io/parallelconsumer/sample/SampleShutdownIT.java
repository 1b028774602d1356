package io.parallelconsumer.sample;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo as a user runs it, in a JVM of its own with its own embedded broker, stopped with SIGTERM: the listener
 * drains and commits while the broker still runs, the broker goes last, and nothing the application does logs an
 * error or a connection warning on the way out.
 */
class SampleShutdownIT {

    private static final String LISTENER_CLOSED = "Parallel consumer orders closed";
    private static final String BROKER_STOPPING = "[BrokerServer id=0] shutting down";

    @Test
    void sigtermStopsTheListenerBeforeTheEmbeddedBrokerWithoutErrors() throws Exception {
        Path log = Files.createTempFile("sample-shutdown", ".log");
        // The application's class path: without test classes and test jars, whose logging configuration would
        // hide the broker's shutdown lines.
        String classPath = Arrays.stream(System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")).split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("-tests.jar"))
                .collect(Collectors.joining(File.pathSeparator));
        Process sample = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, SampleApplication.class.getName(), "--server.port=0",
                "--sample.generator.events-per-second=500")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // Started, and the listener owns its partitions while the generator keeps producing.
            await().atMost(Duration.ofMinutes(2)).until(() -> text(log).contains("Started SampleApplication")
                    && text(log).contains("Parallel consumer orders assigned"));
            int before = (int) text(log).lines().count();

            sample.destroy(); // SIGTERM
            assertThat(sample.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();

            List<String> after = text(log).lines().skip(before).toList();
            int closed = indexOf(after, LISTENER_CLOSED);
            int brokerStopping = indexOf(after, BROKER_STOPPING);
            assertThat(closed).as("the listener closed:\n" + String.join("\n", after)).isNotNegative();
            assertThat(brokerStopping).as("the broker stopped after it:\n" + String.join("\n", after))
                    .isGreaterThan(closed);
            assertThat(after).as("the application's own shutdown logs no error and no connection warning")
                    .noneMatch(line -> line.contains(" ERROR "))
                    .noneMatch(line -> line.contains("Connection to node"))
                    .noneMatch(line -> line.contains("io.parallelconsumer") && line.contains(" WARN "));
        }
        finally {
            sample.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static String text(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
