package io.parallelconsumer.test.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * A topic to create: its name is made unique from a prefix ({@link KafkaFixtures#uniqueName}).
 *
 * @param prefix what the unique name starts with
 * @param partitions how many partitions
 * @param replication the replication factor, at most the cluster's broker count
 * @param configs topic configs, such as {@code cleanup.policy} or {@code min.insync.replicas}
 */
public record TopicSpec(String prefix, int partitions, short replication, Map<String, String> configs) {

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("A topic needs at least one partition, was " + partitions);
        }
        if (replication < 1) {
            throw new IllegalArgumentException("The replication factor must be at least 1, was " + replication);
        }
        configs = Map.copyOf(configs);
    }

    /** One partition, replication 1, no configs. */
    public static TopicSpec named(String prefix) {
        return new TopicSpec(prefix, 1, (short) 1, Map.of());
    }

    public TopicSpec partitions(int count) {
        return new TopicSpec(prefix, count, replication, configs);
    }

    public TopicSpec replication(int factor) {
        return new TopicSpec(prefix, partitions, (short) factor, configs);
    }

    public TopicSpec config(String key, String value) {
        Map<String, String> more = new HashMap<>(configs);
        more.put(key, value);
        return new TopicSpec(prefix, partitions, replication, more);
    }
}
