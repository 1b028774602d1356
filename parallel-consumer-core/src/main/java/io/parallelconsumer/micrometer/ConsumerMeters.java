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

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.parallelconsumer.AttemptResult;
import io.parallelconsumer.ConsumerObserver;
import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.FailedRecord;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.PartitionSnapshot;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The meters of one listener. Counters and timers are updated as records complete (a map lookup and an increment
 * per record); gauges read the consumer's {@link ParallelConsumer#snapshot() snapshot} when scraped, taken at most
 * once per {@link #SNAPSHOT_TTL_NANOS} however many gauges read it. Gauges of a partition exist while it is
 * assigned; the listener's gauges while its consumer runs. Closed, it removes all its meters and registers no more.
 */
final class ConsumerMeters implements ConsumerObserver {

    static final String PREFIX = "parallel.consumer.";

    /** One scrape reads every gauge within this time; they all share one snapshot. */
    private static final long SNAPSHOT_TTL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final MeterRegistry registry;
    private final String listener;
    private final Tags listenerTags;
    private final Counter backpressurePauses;
    private final Counter commitsSucceeded;
    private final Counter commitsFailed;
    private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final Map<TopicPartition, List<Meter>> partitionGauges = new HashMap<>();
    private final List<Meter> listenerGauges = new ArrayList<>();

    private volatile ParallelConsumer<?, ?> consumer;
    private volatile Snapshot snapshot;
    private volatile boolean closed;

    ConsumerMeters(MeterRegistry registry, String listener) {
        this.registry = registry;
        this.listener = listener;
        this.listenerTags = Tags.of("listener", listener);
        this.backpressurePauses = Counter.builder(PREFIX + "backpressure.pauses")
                .description("Times backpressure paused fetching because too many records were in flight")
                .tags(listenerTags).register(registry);
        this.commitsSucceeded = commits("success");
        this.commitsFailed = commits("failure");
    }

    private Counter commits(String result) {
        return Counter.builder(PREFIX + "commits").description("Offset commits, by result")
                .tags(listenerTags).tag("result", result).register(registry);
    }

    @Override
    public synchronized void started(ParallelConsumer<?, ?> started) {
        if (closed) {
            return;
        }
        removeGauges();
        consumer = started;
        snapshot = null;
        listenerGauges.add(gauge("in.flight", listenerTags, "Records fetched but not yet completed",
                s -> s.consumer.inFlight()));
        listenerGauges.add(gauge("queued", listenerTags, "Records waiting for a worker", s -> s.consumer.queued()));
    }

    @Override
    public synchronized void stopped(ParallelConsumer<?, ?> stopped) {
        if (stopped == consumer) { // not a consumer that ended after its successor started
            removeGauges();
            consumer = null;
            snapshot = null;
        }
    }

    @Override
    public synchronized void partitionsAssigned(Collection<TopicPartition> partitions) {
        if (closed) {
            return;
        }
        for (TopicPartition tp : partitions) {
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
            meters.add(Gauge.builder(PREFIX + "blocking.duration", this,
                            self -> self.read(s -> s.partition(tp, p -> seconds(p.blockedSince()))))
                    .description("How long the blocking offset has held back commits").baseUnit("seconds")
                    .tags(tags).register(registry));
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

    @Override
    public void attemptEnded(ConsumerRecord<?, ?> record, AttemptResult result, long durationNanos) {
        if (closed) {
            return;
        }
        TopicMeters meters = topic(record.topic());
        switch (result) {
            case SUCCESS -> {
                meters.succeeded.increment();
                meters.processingSucceeded.record(durationNanos, TimeUnit.NANOSECONDS);
                if (record.timestamp() >= 0) {
                    long latency = System.currentTimeMillis() - record.timestamp();
                    meters.latency.record(Math.max(0, latency), TimeUnit.MILLISECONDS);
                }
            }
            case RETRY -> {
                meters.retried.increment();
                meters.processingRetried.record(durationNanos, TimeUnit.NANOSECONDS);
            }
            case FAILURE -> meters.processingFailed.record(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void recordFailed(FailedRecord<?, ?> failed) {
        if (closed) {
            return;
        }
        topic(failed.topic()).failed.increment();
    }

    @Override
    public void recordSkipped(FailedRecord<?, ?> failed) {
        if (closed) {
            return;
        }
        topic(failed.topic()).skipped.increment();
    }

    @Override
    public void commitEnded(boolean success) {
        (success ? commitsSucceeded : commitsFailed).increment();
    }

    @Override
    public void backpressurePaused() {
        backpressurePauses.increment();
    }

    private TopicMeters topic(String topic) {
        TopicMeters meters = topics.get(topic);
        return meters != null ? meters : topics.computeIfAbsent(topic, t -> new TopicMeters(registry, listenerTags, t));
    }

    /** Removes every meter of this consumer from the registry; from now on it registers none. */
    synchronized void close() {
        closed = true;
        removeGauges();
        consumer = null;
        snapshot = null;
        List.of(backpressurePauses, commitsSucceeded, commitsFailed).forEach(registry::remove);
        topics.values().forEach(meters -> meters.all().forEach(registry::remove));
    }

    private Gauge gauge(String name, Tags tags, String description, ToDoubleFunction<Snapshot> value) {
        return Gauge.builder(PREFIX + name, this, self -> self.read(value)).description(description).tags(tags)
                .register(registry);
    }

    private double read(ToDoubleFunction<Snapshot> value) {
        Snapshot current = currentSnapshot();
        return current == null ? Double.NaN : value.applyAsDouble(current);
    }

    private Snapshot currentSnapshot() {
        ParallelConsumer<?, ?> current = consumer;
        if (current == null) {
            return null;
        }
        Snapshot cached = snapshot;
        long now = System.nanoTime();
        if (cached == null || cached.owner != current || now - cached.takenNanos >= SNAPSHOT_TTL_NANOS) {
            cached = new Snapshot(current, current.snapshot(), now);
            snapshot = cached;
        }
        return cached;
    }

    private static double seconds(Instant since) {
        return since == null ? 0 : Math.max(0, (System.currentTimeMillis() - since.toEpochMilli()) / 1000.0);
    }

    @Override
    public String toString() {
        return "ConsumerMeters[" + listener + "]";
    }

    /** One snapshot, indexed by partition for the gauges. */
    private static final class Snapshot {
        final ParallelConsumer<?, ?> owner;
        final ConsumerSnapshot consumer;
        final long takenNanos;
        final Map<TopicPartition, PartitionSnapshot> partitions = new HashMap<>();

        Snapshot(ParallelConsumer<?, ?> owner, ConsumerSnapshot consumer, long takenNanos) {
            this.owner = owner;
            this.consumer = consumer;
            this.takenNanos = takenNanos;
            consumer.partitions().forEach(p -> partitions.put(new TopicPartition(p.topic(), p.partition()), p));
        }

        double partition(TopicPartition tp, ToDoubleFunction<PartitionSnapshot> value) {
            PartitionSnapshot partition = partitions.get(tp);
            return partition == null ? Double.NaN : value.applyAsDouble(partition);
        }
    }

    /** The per-record meters of one topic, created on its first record. */
    private static final class TopicMeters {
        final Counter succeeded;
        final Counter retried;
        final Counter failed;
        final Counter skipped;
        final Timer processingSucceeded;
        final Timer processingRetried;
        final Timer processingFailed;
        final Timer latency;

        TopicMeters(MeterRegistry registry, Tags listenerTags, String topic) {
            Tags tags = listenerTags.and("topic", topic);
            succeeded = records(registry, tags, "success");
            retried = records(registry, tags, "retry");
            failed = records(registry, tags, "failure");
            skipped = records(registry, tags, "skipped");
            processingSucceeded = processing(registry, tags, "success");
            processingRetried = processing(registry, tags, "retry");
            processingFailed = processing(registry, tags, "failure");
            latency = Timer.builder(PREFIX + "latency")
                    .description("From the record's timestamp to the end of its successful processing")
                    .tags(tags).register(registry);
        }

        List<Meter> all() {
            return List.of(succeeded, retried, failed, skipped, processingSucceeded, processingRetried,
                    processingFailed, latency);
        }

        private static Counter records(MeterRegistry registry, Tags tags, String result) {
            return Counter.builder(PREFIX + "records")
                    .description("Records by outcome: success, retry (a failed attempt tried again), failure "
                            + "(attempts used up or undeserializable) and skipped (by the failure policy)")
                    .tags(tags).tag("result", result).register(registry);
        }

        private static Timer processing(MeterRegistry registry, Tags tags, String result) {
            return Timer.builder(PREFIX + "processing").description("Handler run time, by attempt result")
                    .tags(tags).tag("result", result).register(registry);
        }
    }
}
