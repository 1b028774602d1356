package io.parallelconsumer.validation.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the CPU and resident memory of processes from {@code /proc} twice a second, by process id, and sums them
 * up per process: average and peak CPU (100 % is one core) and resident set size.
 */
public final class ProcessSampler implements AutoCloseable {

    /** Linux's USER_HZ: {@code /proc/<pid>/stat} counts CPU time in these. */
    private static final double TICKS_PER_SECOND = 100;
    private static final long PERIOD_MILLIS = 500;

    private final Map<String, Series> series = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "process-sampler");
        thread.setDaemon(true);
        return thread;
    });

    /** Starts sampling a process, named as the results will name it. */
    public synchronized ProcessSampler watch(String name, long pid) {
        series.computeIfAbsent(name, n -> new Series(pid));
        return this;
    }

    public ProcessSampler start() {
        timer.scheduleAtFixedRate(this::sample, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private synchronized void sample() {
        long now = System.nanoTime();
        series.values().forEach(s -> s.sample(now));
    }

    /** What was measured of each process so far. */
    public synchronized List<ProcessUsage> usage() {
        List<ProcessUsage> usage = new ArrayList<>();
        series.forEach((name, s) -> usage.add(s.usage(name)));
        return usage;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** CPU ticks (user and system) and resident kilobytes of a process, or null once it is gone. */
    static long[] read(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name, in parentheses, may hold spaces: count the fields after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long rssKb = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).findFirst()
                    .map(line -> Long.parseLong(line.replaceAll("\\D", ""))).orElse(0L);
            return new long[] {ticks, rssKb};
        }
        catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    private static final class Series {

        final long pid;
        long lastTicks = -1;
        long lastNanos;
        double cpuSum;
        double cpuPeak;
        int cpuSamples;
        double rssSum;
        double rssPeak;
        int rssSamples;

        Series(long pid) {
            this.pid = pid;
        }

        void sample(long now) {
            long[] read = read(pid);
            if (read == null) {
                return;
            }
            if (lastTicks >= 0 && now > lastNanos) {
                double percent = 100 * (read[0] - lastTicks) / TICKS_PER_SECOND / ((now - lastNanos) / 1e9);
                cpuSum += percent;
                cpuPeak = Math.max(cpuPeak, percent);
                cpuSamples++;
            }
            lastTicks = read[0];
            lastNanos = now;
            double rssMb = read[1] / 1024.0;
            rssSum += rssMb;
            rssPeak = Math.max(rssPeak, rssMb);
            rssSamples++;
        }

        ProcessUsage usage(String name) {
            return new ProcessUsage(name, cpuSamples == 0 ? 0 : cpuSum / cpuSamples, cpuPeak,
                    rssSamples == 0 ? 0 : rssSum / rssSamples, rssPeak);
        }
    }
}
