package io.parallelconsumer.internal.events;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.parallelconsumer.ConsumerSnapshot;

/**
 * The one tally of what one consumer did: record outcomes per topic, commits and backpressure pauses. Updated from
 * any thread without contention; read by snapshots, which is where the meters and the endpoint read it too.
 */
public final class ConsumerCounters {

    private final Map<String, TopicTally> topics = new ConcurrentHashMap<>();
    private final LongAdder commitsSucceeded = new LongAdder();
    private final LongAdder commitsFailed = new LongAdder();
    private final LongAdder backpressurePauses = new LongAdder();

    /** The tally of a topic, created on first use. */
    public TopicTally topic(String topic) {
        TopicTally tally = topics.get(topic);
        return tally != null ? tally : topics.computeIfAbsent(topic, t -> new TopicTally());
    }

    public void commit(boolean success) {
        (success ? commitsSucceeded : commitsFailed).increment();
    }

    public void backpressurePause() {
        backpressurePauses.increment();
    }

    /** @param alreadyDone records the work manager skipped as done by a previous owner */
    public ConsumerSnapshot.Counters read(long alreadyDone) {
        Map<String, ConsumerSnapshot.TopicCounters> byTopic = new HashMap<>();
        long succeeded = 0;
        long failedAttempts = 0;
        long skipped = 0;
        for (Map.Entry<String, TopicTally> topic : topics.entrySet()) {
            ConsumerSnapshot.TopicCounters counters = topic.getValue().read();
            byTopic.put(topic.getKey(), counters);
            succeeded += counters.succeeded();
            failedAttempts += counters.failedAttempts();
            skipped += counters.skipped();
        }
        return new ConsumerSnapshot.Counters(succeeded, failedAttempts, skipped, commitsSucceeded.sum(),
                commitsFailed.sum(), backpressurePauses.sum(), alreadyDone, byTopic);
    }
}
