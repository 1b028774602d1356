package io.parallelconsumer.benchmarks.drain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How long the threads of some processes ran on a core and waited for one, and how often the scheduler took the
 * core from them, added up by thread name without its number ("d-platform-worker-17" counts as
 * "d-platform-worker"): where two cores went during a run. Read from Linux's {@code /proc/<pid>/task/<tid>/schedstat}
 * and {@code status}; empty elsewhere. Thread names there are cut to 15 characters.
 */
final class ThreadCpu {

    /** By thread id ("pid/tid"). */
    private final Map<String, Sample> byThread = new HashMap<>();

    /**
     * A thread's name without its number, the nanoseconds it has run and waited for a core, and how often it was
     * switched out while it could have gone on running (preempted, as opposed to blocking).
     */
    private record Sample(String name, long ran, long waited, long preempted) {
    }

    /** What the threads of these processes have run and waited so far; a label per process prefixes its names. */
    static ThreadCpu read(Map<String, Long> pidsByLabel) {
        ThreadCpu cpu = new ThreadCpu();
        pidsByLabel.forEach((label, pid) -> {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", pid.toString(), "task"))) {
                tasks.forEach(task -> cpu.add(label, pid + "/" + task.getFileName(), task));
            }
            catch (IOException | RuntimeException ex) {
                // not Linux, or the process is gone: nothing to show
            }
        });
        return cpu;
    }

    private void add(String label, String id, Path task) {
        try {
            String name = Files.readString(task.resolve("comm")).trim().replaceAll("[-#]?\\d+$", "");
            String[] fields = Files.readString(task.resolve("schedstat")).trim().split(" ");
            byThread.put(id, new Sample(label + name, Long.parseLong(fields[0]), Long.parseLong(fields[1]),
                    preemptions(Files.readString(task.resolve("status")))));
        }
        catch (IOException | RuntimeException ex) {
            // the thread ended meanwhile
        }
    }

    private static long preemptions(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }

    /**
     * "name ran/waited/preempted" (milliseconds, milliseconds, times) for each group of threads that ran or waited
     * at least half a millisecond since {@code before}, most running first, with how many of the group ran where
     * that is more than one.
     */
    String since(ThreadCpu before) {
        Map<String, long[]> byName = new HashMap<>(); // run, waited, threads that ran, preemptions
        byThread.forEach((id, now) -> {
            Sample then = before.byThread.getOrDefault(id, new Sample(now.name(), 0, 0, 0));
            long[] sums = byName.computeIfAbsent(now.name(), name -> new long[4]);
            sums[0] += now.ran() - then.ran();
            sums[1] += now.waited() - then.waited();
            sums[2] += now.ran() > then.ran() ? 1 : 0;
            sums[3] += now.preempted() - then.preempted();
        });
        Map<Long, String> lines = new TreeMap<>(Comparator.reverseOrder());
        byName.forEach((name, sums) -> {
            if (sums[0] >= 500_000 || sums[1] >= 500_000) {
                String threads = sums[2] > 1 ? " (" + sums[2] + " threads)" : "";
                lines.merge(sums[0], String.format(Locale.ROOT, "%s%s %.1f/%.1f/%d", name, threads, sums[0] / 1e6,
                        sums[1] / 1e6, sums[3]), (a, b) -> a + ", " + b);
            }
        });
        return String.join(", ", lines.values());
    }
}
