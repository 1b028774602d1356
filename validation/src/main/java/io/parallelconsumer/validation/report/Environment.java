package io.parallelconsumer.validation.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.kafka.common.utils.AppInfoParser;

import org.springframework.boot.SpringBootVersion;

/**
 * Where a result was measured: what the report's environment section says, taken from the running JVM and the
 * machine, never written by hand.
 *
 * @param commit the build under test ({@code git rev-parse --short HEAD}, passed by the run script)
 */
public record Environment(String commit, String java, String vm, String os, int cores, long memoryMb, String cpu,
        String kafkaClients, String springBoot) {

    public static Environment capture() {
        return new Environment(System.getProperty("validation.commit", "unknown"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                Runtime.getRuntime().availableProcessors(), totalMemoryMb(), cpuModel(), AppInfoParser.getVersion(),
                SpringBootVersion.getVersion());
    }

    private static long totalMemoryMb() {
        return procLine("/proc/meminfo", "MemTotal:")
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024).orElse(-1L);
    }

    private static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name").map(line -> line.substring(line.indexOf(':') + 1).trim())
                .orElse("unknown");
    }

    private static Optional<String> procLine(String file, String prefix) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(line -> line.startsWith(prefix)).findFirst();
        }
        catch (IOException | RuntimeException ex) {
            return Optional.empty();
        }
    }
}
