package io.parallelconsumer.benchmarks.drain;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.PartitionSnapshot;

/** The memory scenario's watch: heap, records in flight and group membership of a slow consumer, sampled. */
final class MemoryRun {

    private MemoryRun() {
    }

    /** Starts the consumer, samples it four times a second for {@code seconds}, closes it and prints the peaks. */
    static void observe(ParallelConsumer<String, byte[]> consumer, int seconds, LongAdder processed)
            throws InterruptedException {
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        long peakAfterGc = 0;
        long peakUsed = 0;
        int peakInFlight = 0;
        int maxEpoch = 0;
        boolean everNotRunning = false;
        consumer.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Thread.sleep(250);
            long afterGc = 0;
            long used = 0;
            for (MemoryPoolMXBean pool : heapPools) {
                used += pool.getUsage().getUsed();
                if (pool.getCollectionUsage() != null) {
                    afterGc += pool.getCollectionUsage().getUsed();
                }
            }
            peakAfterGc = Math.max(peakAfterGc, afterGc);
            peakUsed = Math.max(peakUsed, used);
            ConsumerSnapshot snapshot = consumer.snapshot();
            peakInFlight = Math.max(peakInFlight, snapshot.inFlight());
            for (PartitionSnapshot partition : snapshot.partitions()) {
                maxEpoch = Math.max(maxEpoch, partition.epoch());
            }
            everNotRunning |= snapshot.state() != ConsumerState.RUNNING;
        }
        ConsumerSnapshot last = consumer.snapshot();
        consumer.close(Duration.ofSeconds(30));
        System.out.printf(Locale.ROOT, "memory: processed %,d records in %d s (%,.0f/s); peak in flight %,d (max %,d);"
                + " peak heap used %.1f MB, peak heap after GC %.1f MB (max heap %.0f MB); highest partition epoch %d "
                + "(1 = never rebalanced); state stayed RUNNING: %s; backpressure pauses %d%n%n", processed.sum(),
                seconds, processed.sum() / (double) seconds, peakInFlight,
                last.maxInFlight(), peakUsed / 1e6, peakAfterGc / 1e6, Runtime.getRuntime().maxMemory() / 1e6,
                maxEpoch, !everNotRunning, last.counters().backpressurePauses());
    }
}
