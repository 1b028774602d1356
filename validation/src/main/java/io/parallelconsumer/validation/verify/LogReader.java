package io.parallelconsumer.validation.verify;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.parallelconsumer.validation.log.LogLine;

/**
 * Reads the logs the producer and the consumer processes wrote. A line cut short by a {@code kill -9} in the middle
 * of its write (the last line of a killed process's file) is skipped: its record was not done when the process died.
 */
public final class LogReader {

    private LogReader() {
    }

    /** The producer's acknowledgements. */
    public static List<Ack> acks(Path producerLog) throws IOException {
        List<Ack> acks = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(producerLog)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.split("\t");
                if (f[0].equals(LogLine.ACKED) && f.length == 7) {
                    acks.add(new Ack(Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3], Long.parseLong(f[4]),
                            Long.parseLong(f[5]), Long.parseLong(f[6])));
                }
            }
        }
        return acks;
    }

    /** Records the producer gave up on. */
    public static long failedSends(Path producerLog) throws IOException {
        try (Stream<String> lines = Files.lines(producerLog)) {
            return lines.filter(line -> line.startsWith(LogLine.FAILED + "\t")).count();
        }
    }

    /** Every processing logged by the processes of one group: one file per process, named after its instance. */
    public static List<Processed> processings(Path groupDirectory) throws IOException {
        List<Processed> processings = new ArrayList<>();
        try (Stream<Path> files = Files.list(groupDirectory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                String instance = file.getFileName().toString().replaceFirst("\\.log$", "");
                processings.addAll(processings(file, instance));
            }
        }
        return processings;
    }

    static List<Processed> processings(Path file, String instance) throws IOException {
        List<Processed> processings = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.split("\t");
                if (f[0].equals(LogLine.PROCESSED) && f.length == 8 && !f[7].isEmpty()) {
                    processings.add(new Processed(instance, Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3],
                            Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
                            Long.parseLong(f[7])));
                }
            }
        }
        return processings;
    }

    /** The first line a process writes once its listener runs: {@code [jvmStartMicros, readyMicros]}, or null. */
    public static long[] started(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(LogLine.STARTED + "\t")).findFirst().map(line -> {
                String[] f = line.split("\t");
                return new long[] {Long.parseLong(f[3]), Long.parseLong(f[4])};
            }).orElse(null);
        }
    }
}
