package io.parallelconsumer.benchmarks.harness;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What one run processed, checked record by record: end-to-end latency from the produce time each record carries
 * (in microseconds, HdrHistogram), and per key which sequence numbers arrived, so that missing records,
 * duplicates and records processed before an earlier one of their key are counted exactly.
 */
final class RunRecorder {

    static final String SEQUENCE_HEADER = "seq";
    static final String PRODUCED_HEADER = "produced-nanos";

    private final int expected;
    private final KeyLog[] keys;
    private final Histogram latencyMicros = new ConcurrentHistogram(TimeUnit.HOURS.toMicros(1), 3);
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong distinct = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong orderViolations = new AtomicLong();
    private final LongAccumulator firstNanos = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator lastNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);

    RunRecorder(int expected, int keyCount) {
        this.expected = expected;
        this.keys = new KeyLog[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = new KeyLog();
        }
    }

    /** Called by every consumer once per record, after the record's work. */
    void processed(ConsumerRecord<String, byte[]> record) {
        long now = System.nanoTime();
        int sequence = ByteBuffer.wrap(header(record, SEQUENCE_HEADER)).getInt();
        long produced = ByteBuffer.wrap(header(record, PRODUCED_HEADER)).getLong();
        latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(now - produced)));
        firstNanos.accumulate(now);
        lastNanos.accumulate(now);
        processed.incrementAndGet();
        KeyLog key = keys[Workload.keyIndex(record.key())];
        synchronized (key) {
            if (key.seen.get(sequence)) {
                duplicates.incrementAndGet();
                return;
            }
            key.seen.set(sequence);
            if (sequence < key.highest) {
                orderViolations.incrementAndGet();
            }
            key.highest = Math.max(key.highest, sequence);
        }
        distinct.incrementAndGet();
    }

    private static byte[] header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            throw new IllegalStateException("Record " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " has no " + name + " header; was the topic produced by this harness?");
        }
        return header.value();
    }

    boolean complete() {
        return distinct.get() >= expected;
    }

    long distinct() {
        return distinct.get();
    }

    long processed() {
        return processed.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    long orderViolations() {
        return orderViolations.get();
    }

    long missing() {
        return expected - distinct.get();
    }

    /** Nanoseconds from the first processed record to the last; 0 with fewer than two. */
    long spanNanos() {
        long first = firstNanos.get();
        long last = lastNanos.get();
        return first == Long.MAX_VALUE || last <= first ? 0 : last - first;
    }

    long firstNanos() {
        return firstNanos.get();
    }

    Histogram latencyMicros() {
        return latencyMicros;
    }

    private static final class KeyLog {
        final BitSet seen = new BitSet();
        int highest = -1;
    }
}
