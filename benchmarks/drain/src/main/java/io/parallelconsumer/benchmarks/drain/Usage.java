package io.parallelconsumer.benchmarks.drain;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What this JVM spent: CPU over all its threads, the part of it the JIT compilers worked, and how long its
 * garbage collectors report having worked - shown with each run, since compilations and collections that fall
 * into a run take cores from it, and a collection pause stops it outright: here 1.4 to 21 ms (the 12 MB buffers
 * that fetch responses are read into often start one), a large share of a 40 to 100 ms no-op drain. Also how
 * long the hypervisor gave this virtual machine's CPUs to others ({@code steal}), summed over the CPUs: time the
 * run's threads wanted a core and no process here could have it, which no setting of ours explains.
 */
record Usage(long cpuNanos, long jitMillis, long gcMillis, long stealMillis) {
    /** Linux's {@code USER_HZ}: /proc/stat counts in hundredths of a second on every common architecture. */
    private static final long TICKS_PER_SECOND = 100;

    static Usage now() {
        return new Usage(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime(), jitMillisSoFar(), gcMillisSoFar(), stealMillisSoFar());
    }

    /**
     * Steal time so far, from the first line of /proc/stat ({@code cpu user nice system idle iowait irq softirq
     * steal ...}), in steps of 10 ms; -1 where there is no such file.
     */
    private static long stealMillisSoFar() {
        try (BufferedReader stat = Files.newBufferedReader(Path.of("/proc/stat"))) {
            String[] fields = stat.readLine().trim().split("\\s+");
            return Long.parseLong(fields[8]) * 1000 / TICKS_PER_SECOND;
        }
        catch (IOException | RuntimeException unavailable) {
            return -1;
        }
    }

    /** Collection time so far, summed over this JVM's collectors as their MXBeans report it (G1: mostly pauses). */
    private static long gcMillisSoFar() {
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, collector.getCollectionTime());
        }
        return millis;
    }

    Usage since(Usage before) {
        return new Usage(cpuNanos - before.cpuNanos, jitMillis - before.jitMillis, gcMillis - before.gcMillis,
                stealMillis < 0 || before.stealMillis < 0 ? -1 : stealMillis - before.stealMillis);
    }

    /**
     * Waits until no compilation has finished for 200 ms (at most five seconds), so that a measured run does not
     * share the cores with compilations that creating its consumer queued.
     */
    static void awaitQuietJit() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long last = jitMillisSoFar();
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            long now = jitMillisSoFar();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    /** Time the JIT compilers have spent so far, added up over their threads. */
    static long jitMillisSoFar() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }
}
