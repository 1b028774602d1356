package io.parallelconsumer.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Records what a test handler processed, for records whose value is {@code <key>:<sequence>}, and checks the
 * delivery and ordering guarantees: nothing missing, nothing duplicated, each key in sequence, never two records of
 * one key at once.
 */
public final class ProcessingLog {

    private final Map<String, List<Integer>> sequencesByKey = new ConcurrentHashMap<>();
    /** Who processed what, to explain a violation: "thread partition@offset", per key, in processing order. */
    private final Map<String, List<String>> witnessesByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> runningByKey = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final LongAdder processed = new LongAdder();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final Function<ConsumerRecord<String, String>, String> orderingKey;

    /** A log that checks order per key within a partition. */
    public ProcessingLog() {
        this(record -> record.partition() + "/" + record.key());
    }

    /** A log that checks that records with the same ordering key never run at once. */
    public ProcessingLog(Function<ConsumerRecord<String, String>, String> orderingKey) {
        this.orderingKey = orderingKey;
    }

    /** Call when a handler starts on a record. */
    public void begin(ConsumerRecord<String, String> record) {
        int now = running.incrementAndGet();
        maxRunning.accumulateAndGet(now, Math::max);
        String key = orderingKey(record);
        if (runningByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
            violations.add("two records of key " + key + " ran at once, one at offset " + record.offset());
        }
    }

    /** Call when a handler finishes a record successfully. */
    public void end(ConsumerRecord<String, String> record) {
        runningByKey.get(orderingKey(record)).decrementAndGet();
        running.decrementAndGet();
        String[] parts = record.value().split(":");
        List<Integer> sequences = sequencesByKey.computeIfAbsent(parts[0], k -> new ArrayList<>());
        synchronized (sequences) {
            sequences.add(Integer.parseInt(parts[1]));
            witnessesByKey.computeIfAbsent(parts[0], k -> new ArrayList<>())
                    .add(Thread.currentThread().getName() + " " + record.partition() + "@" + record.offset());
        }
        processed.increment();
    }

    /** Runs {@code work} between {@link #begin} and {@link #end}. */
    public void process(ConsumerRecord<String, String> record, Runnable work) {
        begin(record);
        try {
            work.run();
        }
        finally {
            end(record);
        }
    }

    private String orderingKey(ConsumerRecord<String, String> record) {
        return orderingKey.apply(record);
    }

    public long processed() {
        return processed.sum();
    }

    public int maxRunning() {
        return maxRunning.get();
    }

    /**
     * Problems with an exactly-once-per-record run: every key must show 0, 1, 2, ... up to its count with no repeat,
     * and no two records of a key may have run at once.
     */
    public List<String> exactOrderViolations(Map<String, Integer> expectedPerKey) {
        List<String> problems = new ArrayList<>(violations);
        expectedPerKey.forEach((key, count) -> {
            List<Integer> seen = sequencesByKey.getOrDefault(key, List.of());
            synchronized (seen) {
                if (seen.size() != count) {
                    problems.add("key " + key + ": expected " + count + " records, got " + seen.size());
                }
                for (int i = 0; i < seen.size(); i++) {
                    if (seen.get(i) != i) {
                        List<String> witnesses = witnessesByKey.get(key);
                        problems.add("key " + key + ": position " + i + " holds sequence " + seen.get(i) + " (by "
                                + witnesses.subList(Math.max(0, i - 2), Math.min(witnesses.size(), i + 2)) + ")");
                        break;
                    }
                }
            }
        });
        return problems;
    }

    /**
     * Problems with an at-least-once run (records may be delivered again after a rebalance): every sequence of every
     * key must have been processed, and each record must have been processed only after its predecessor was.
     */
    public List<String> atLeastOnceOrderViolations(Map<String, Integer> expectedPerKey) {
        List<String> problems = new ArrayList<>(violations);
        expectedPerKey.forEach((key, count) -> {
            List<Integer> seen = sequencesByKey.getOrDefault(key, List.of());
            synchronized (seen) {
                int highestDone = -1;
                for (int sequence : seen) {
                    if (sequence > highestDone + 1) {
                        problems.add("key " + key + ": sequence " + sequence + " ran before " + (highestDone + 1));
                        break;
                    }
                    highestDone = Math.max(highestDone, sequence);
                }
                if (highestDone != count - 1) {
                    problems.add("key " + key + ": expected up to sequence " + (count - 1) + ", got " + highestDone);
                }
            }
        });
        return problems;
    }

    /** Problems with a run that need not keep order: every sequence of every key exactly once. */
    public List<String> deliveryViolations(Map<String, Integer> expectedPerKey) {
        List<String> problems = new ArrayList<>(violations);
        expectedPerKey.forEach((key, count) -> {
            List<Integer> seen = sequencesByKey.getOrDefault(key, List.of());
            synchronized (seen) {
                List<Integer> sorted = seen.stream().sorted().toList();
                for (int i = 0; i < Math.max(count, sorted.size()); i++) {
                    if (i >= sorted.size() || sorted.get(i) != i) {
                        problems.add("key " + key + ": missing or duplicated sequence near " + i);
                        break;
                    }
                }
            }
        });
        return problems;
    }

    /** How many records were processed more than once. */
    public long duplicates() {
        long total = 0;
        for (List<Integer> seen : sequencesByKey.values()) {
            synchronized (seen) {
                total += seen.size() - seen.stream().distinct().count();
            }
        }
        return total;
    }
}
