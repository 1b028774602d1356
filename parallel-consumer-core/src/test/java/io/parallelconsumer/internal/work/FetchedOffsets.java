package io.parallelconsumer.internal.work;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For the work manager's property tests: fetches random batches into it from two partitions, notes which offsets
 * are still incomplete, and checks what it offers to commit - the lowest incomplete offset, or the next one to
 * fetch when nothing is incomplete.
 */
final class FetchedOffsets {

    private final TopicPartition first;
    private final TopicPartition second;
    private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
    private final Map<TopicPartition, TreeSet<Long>> incomplete = new HashMap<>();

    FetchedOffsets(TopicPartition first, TopicPartition second) {
        this.first = first;
        this.second = second;
        for (TopicPartition tp : List.of(first, second)) {
            nextOffset.put(tp, 0L);
            incomplete.put(tp, new TreeSet<>());
        }
    }

    static List<ConsumerRecord<String, String>> records(TopicPartition tp, long firstOffset, String... keys) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            records.add(new ConsumerRecord<>(tp.topic(), tp.partition(), firstOffset + i, keys[i], "v" + i));
        }
        return records;
    }

    /**
     * Adds 1 to {@code maxSize} records to one of the two partitions, picked at random, with keys {@code k0} to
     * {@code k<keys - 1>} and one in twenty {@code null}.
     */
    void addRandom(WorkManager<String, String> work, Random random, int maxSize, int keys) {
        TopicPartition tp = random.nextBoolean() ? first : second;
        String[] batch = new String[1 + random.nextInt(maxSize)];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = random.nextInt(20) == 0 ? null : "k" + random.nextInt(keys);
        }
        long offset = nextOffset.get(tp);
        work.add(tp, records(tp, offset, batch));
        for (int i = 0; i < batch.length; i++) {
            incomplete.get(tp).add(offset + i);
        }
        nextOffset.put(tp, offset + batch.length);
    }

    void done(ConsumerRecord<?, ?> record) {
        incomplete.get(new TopicPartition(record.topic(), record.partition())).remove(record.offset());
    }

    /** The offsets the work manager would commit now for these partitions ({@code null}: all), without metadata. */
    static Map<TopicPartition, Long> commitOffsets(CommittableWork work, Collection<TopicPartition> tps) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        work.commitPositions(tps, false).forEach((tp, position) -> offsets.put(tp, position.offset()));
        return offsets;
    }

    void assertCommitOffsets(WorkManager<String, String> work) {
        Map<TopicPartition, Long> commits = commitOffsets(work, null);
        for (TopicPartition tp : List.of(first, second)) {
            TreeSet<Long> open = incomplete.get(tp);
            Long expected = open.isEmpty() ? (nextOffset.get(tp) == 0 ? null : nextOffset.get(tp)) : open.first();
            assertThat(commits.get(tp)).isEqualTo(expected);
        }
    }
}
