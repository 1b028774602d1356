package io.parallelconsumer.micrometer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.parallelconsumer.AttemptResult;
import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerSnapshot.Counters;
import io.parallelconsumer.ConsumerSnapshot.TopicCounters;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.PartitionSnapshot;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The meters of the consumers of one name. Counters read the consumers' own tally in their
 * {@link ParallelConsumer#snapshot() snapshots}, and add what consumers of the same name counted before they
 * stopped, so a listener restarted keeps its counts; gauges read the newest consumer's snapshot. A snapshot is taken
 * at most once per {@link #SNAPSHOT_TTL_NANOS} however many meters read it. Only the timers are fed record by record.
 * Gauges of a partition exist while it is assigned; the listener's gauges while its consumer runs. Closed, it
 * removes all its meters and registers no more.
 */
final class ConsumerMeters implements ConsumerObserver {

    static final String PREFIX = "parallel.consumer.";

    /** One scrape reads every meter within this time; they all share one snapshot. */
    private static final long SNAPSHOT_TTL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private static final TopicCounters NO_RECORDS = new TopicCounters(0, 0, 0, 0, 0);

    private final MeterRegistry registry;
    private final String listener;
    private final Tags listenerTags;
    private final List<Meter> listenerCounters = new ArrayList<>();
    private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final Map<TopicPartition, List<Meter>> partitionGauges = new HashMap<>();
    private final List<Meter> listenerGauges = new ArrayList<>();

    /** Replaced as a whole, under this object's lock, whenever a consumer starts or stops; read without it. */
    private volatile Tallies tallies = new Tallies(new Counters(0, 0, 0, 0, 0, 0, 0, Map.of()), List.of());
    private volatile boolean closed;

    ConsumerMeters(MeterRegistry registry, String listener) {
        this.registry = registry;
        this.listener = listener;
        this.listenerTags = Tags.of("listener", listener);
        listenerCounters.add(counter("backpressure.pauses", listenerTags,
                "Times backpressure paused fetching because too many records were in flight",
                Counters::backpressurePauses));
        listenerCounters.add(commits("success", Counters::commitsSucceeded));
        listenerCounters.add(commits("failure", Counters::commitsFailed));
    }

    private Meter commits(String result, ToLongFunction<Counters> count) {
        return counter("commits", listenerTags.and("result", result), "Offset commits, by result", count);
    }

    @Override
    public synchronized void started(ParallelConsumer<?, ?> started) {
        if (closed) {
            return;
        }
        removeGauges();
        List<Running> running = new ArrayList<>(tallies.running);
        running.add(new Running(started));
        tallies = new Tallies(tallies.ended, List.copyOf(running));
        listenerGauges.add(gauge("in.flight", listenerTags, "Records fetched but not yet completed",
                s -> s.consumer.inFlight()));
        listenerGauges.add(gauge("queued", listenerTags, "Records waiting for a worker", s -> s.consumer.queued()));
    }

    @Override
    public synchronized void stopped(ParallelConsumer<?, ?> stopped) {
        Tallies before = tallies;
        Running newest = before.newest();
        List<Running> running = new ArrayList<>(before.running);
        if (!running.removeIf(r -> r.consumer == stopped)) {
            return;
        }
        // Its final counts join those of the consumers that stopped before it, in one step with its leaving the
        // running ones, so that a scrape never counts it twice or not at all.
        tallies = new Tallies(before.ended.plus(stopped.snapshot().counters()), List.copyOf(running));
        if (newest.consumer == stopped) { // not a consumer that ended after its successor started
            removeGauges();
        }
    }

    @Override
    public synchronized void partitionsAssigned(Collection<TopicPartition> partitions) {
        if (closed) {
            return;
        }
        for (TopicPartition tp : partitions) {
            topic(tp.topic()); // its counters count from zero before its first record, as rates need
            if (partitionGauges.containsKey(tp)) {
                continue;
            }
            Tags tags = listenerTags.and("topic", tp.topic(), "partition", Integer.toString(tp.partition()));
            List<Meter> meters = new ArrayList<>();
            meters.add(gauge("lag", tags, "Log-end offset minus committed offset: records not yet committed. The "
                    + "log end comes with each fetch, and is read once a second while the partition is paused",
                    s -> s.partition(tp, p -> p.lag() < 0 ? Double.NaN : p.lag())));
            meters.add(gauge("gaps", tags, "Runs of incomplete offsets above the first one (records done out of order)",
                    s -> s.partition(tp, PartitionSnapshot::gaps)));
            meters.add(gauge("incomplete", tags, "Offsets fetched but not yet completed",
                    s -> s.partition(tp, PartitionSnapshot::incomplete)));
            meters.add(gauge("blocking.offset", tags, "Lowest incomplete offset, which holds back commits; -1 if none",
                    s -> s.partition(tp, PartitionSnapshot::blockingOffset)));
            meters.add(TimeGauge.builder(PREFIX + "blocking.duration", this, TimeUnit.MILLISECONDS,
                            self -> self.read(s -> s.partition(tp, p -> millisSince(p.blockedSince()))))
                    .description("How long the blocking offset has held back commits").tags(tags).register(registry));
            meters.add(gauge("paused", tags, "1 while fetching from the partition is paused, else 0",
                    s -> s.partition(tp, p -> p.paused() ? 1 : 0)));
            partitionGauges.put(tp, meters);
        }
    }

    @Override
    public synchronized void partitionsRevoked(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            List<Meter> meters = partitionGauges.remove(tp);
            if (meters != null) {
                meters.forEach(registry::remove);
            }
        }
    }

    private void removeGauges() {
        partitionsRevoked(List.copyOf(partitionGauges.keySet()));
        listenerGauges.forEach(registry::remove);
        listenerGauges.clear();
    }

    /** Only the timers: a duration is a distribution, which no tally holds. */
    @Override
    public void attemptEnded(ConsumerRecord<?, ?> record, AttemptResult result, long durationNanos) {
        if (closed) {
            return;
        }
        TopicMeters meters = topic(record.topic());
        switch (result) {
            case SUCCESS -> {
                meters.processingSucceeded.record(durationNanos, TimeUnit.NANOSECONDS);
                if (record.timestamp() >= 0) {
                    long latency = System.currentTimeMillis() - record.timestamp();
                    meters.latency.record(Math.max(0, latency), TimeUnit.MILLISECONDS);
                }
            }
            case RETRY -> meters.processingRetried.record(durationNanos, TimeUnit.NANOSECONDS);
            case FAILURE -> meters.processingFailed.record(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    private TopicMeters topic(String topic) {
        TopicMeters meters = topics.get(topic);
        return meters != null ? meters : topics.computeIfAbsent(topic, TopicMeters::new);
    }

    /** Removes every meter of this consumer from the registry; from now on it registers none. */
    synchronized void close() {
        closed = true;
        removeGauges();
        listenerCounters.forEach(registry::remove);
        topics.values().forEach(meters -> meters.all().forEach(registry::remove));
    }

    private Meter counter(String name, Tags tags, String description, ToLongFunction<Counters> count) {
        return FunctionCounter.builder(PREFIX + name, this, self -> self.tallies.count(count))
                .description(description).tags(tags).register(registry);
    }

    private Gauge gauge(String name, Tags tags, String description, ToDoubleFunction<Snapshot> value) {
        return Gauge.builder(PREFIX + name, this, self -> self.read(value)).description(description).tags(tags)
                .register(registry);
    }

    /** A gauge's value, read off the newest consumer's snapshot; NaN while none runs. */
    private double read(ToDoubleFunction<Snapshot> value) {
        Running newest = tallies.newest();
        return newest == null ? Double.NaN : value.applyAsDouble(newest.snapshot());
    }

    private static double millisSince(Instant since) {
        return since == null ? 0 : Math.max(0, System.currentTimeMillis() - since.toEpochMilli());
    }

    @Override
    public String toString() {
        return "ConsumerMeters[" + listener + "]";
    }

    /**
     * What the counters add up: the final counts of the consumers of this name that stopped, and the consumers that
     * run (usually one; the newest last).
     */
    private record Tallies(Counters ended, List<Running> running) {

        Running newest() {
            return running.isEmpty() ? null : running.get(running.size() - 1);
        }

        double count(ToLongFunction<Counters> count) {
            long sum = count.applyAsLong(ended);
            for (Running consumer : running) {
                sum += count.applyAsLong(consumer.snapshot().consumer.counters());
            }
            return sum;
        }
    }

    /** A consumer that runs, and its last snapshot. */
    private static final class Running {
        final ParallelConsumer<?, ?> consumer;
        private volatile Snapshot snapshot;

        Running(ParallelConsumer<?, ?> consumer) {
            this.consumer = consumer;
        }

        Snapshot snapshot() {
            Snapshot cached = snapshot;
            long now = System.nanoTime();
            if (cached == null || now - cached.takenNanos >= SNAPSHOT_TTL_NANOS) {
                cached = new Snapshot(consumer.snapshot(), now);
                snapshot = cached;
            }
            return cached;
        }
    }

    /** One snapshot, indexed by partition for the gauges. */
    private static final class Snapshot {
        final ConsumerSnapshot consumer;
        final long takenNanos;
        final Map<TopicPartition, PartitionSnapshot> partitions = new HashMap<>();

        Snapshot(ConsumerSnapshot consumer, long takenNanos) {
            this.consumer = consumer;
            this.takenNanos = takenNanos;
            consumer.partitions().forEach(p -> partitions.put(new TopicPartition(p.topic(), p.partition()), p));
        }

        double partition(TopicPartition tp, ToDoubleFunction<PartitionSnapshot> value) {
            PartitionSnapshot partition = partitions.get(tp);
            return partition == null ? Double.NaN : value.applyAsDouble(partition);
        }
    }

    /** The meters of one topic, created when one of its partitions is assigned or on its first record. */
    private final class TopicMeters {
        final List<Meter> counters = new ArrayList<>();
        final Timer processingSucceeded;
        final Timer processingRetried;
        final Timer processingFailed;
        final Timer latency;

        TopicMeters(String topic) {
            Tags tags = listenerTags.and("topic", topic);
            counters.add(records(tags, topic, "success", TopicCounters::succeeded));
            counters.add(records(tags, topic, "retry", TopicCounters::retried));
            counters.add(records(tags, topic, "failure", TopicCounters::failed));
            counters.add(records(tags, topic, "skipped", TopicCounters::skipped));
            counters.add(records(tags, topic, "dead_lettered", TopicCounters::deadLettered));
            processingSucceeded = processing(tags, "success");
            processingRetried = processing(tags, "retry");
            processingFailed = processing(tags, "failure");
            latency = Timer.builder(PREFIX + "latency")
                    .description("From the record's timestamp to the end of its successful processing")
                    .tags(tags).register(registry);
        }

        List<Meter> all() {
            List<Meter> all = new ArrayList<>(counters);
            all.addAll(List.of(processingSucceeded, processingRetried, processingFailed, latency));
            return all;
        }

        private Meter records(Tags tags, String topic, String result, ToLongFunction<TopicCounters> count) {
            return counter("records", tags.and("result", result),
                    "Records by outcome: success, retry (a failed attempt tried again), failure (attempts used up or "
                            + "undeserializable), and of the failures skipped or dead_lettered (by the failure policy)",
                    all -> count.applyAsLong(all.topics().getOrDefault(topic, NO_RECORDS)));
        }

        private Timer processing(Tags tags, String result) {
            return Timer.builder(PREFIX + "processing").description("Handler run time, by attempt result")
                    .tags(tags).tag("result", result).register(registry);
        }
    }
}
