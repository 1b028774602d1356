package io.parallelconsumer.internal.work;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.internal.events.ConsumerCounters;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ready queue against a simple model: every poll returns a shard of the lowest occupied bucket, FIFO within. */
class ReadyQueueTest {

    private static final PartitionWork<String, String> PARTITION = new PartitionWork<>(new TopicPartition("t", 0), 1,
            Ordering.KEY, new ConsumerCounters().topic("t"), WorkTuning.DEFAULTS.minShardSweep());

    private static Shard<String, String> shard(long sequence) {
        Shard<String, String> shard = new Shard<>(PARTITION, "k" + sequence);
        shard.readySequence = sequence;
        return shard;
    }

    @Test
    void oldestFirstAcrossBucketsAndInInsertionOrderWithinOne() {
        ReadyQueue<String, String> queue = new ReadyQueue<>();
        Shard<String, String> late = shard(1000);
        Shard<String, String> early = shard(3);
        Shard<String, String> sameBucket = shard(1);
        queue.add(late);
        queue.add(early);
        queue.add(sameBucket);

        assertThat(queue.peek()).isSameAs(early);
        assertThat(List.of(queue.poll(), queue.poll(), queue.poll())).containsExactly(early, sameBucket, late);
        assertThat(queue.poll()).isNull();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void growsWhenTheOldestAndNewestAreFarApart() {
        ReadyQueue<String, String> queue = new ReadyQueue<>();
        for (long sequence = 0; sequence < 1_000_000; sequence += 10_000) {
            queue.add(shard(1_000_000 - sequence));
        }
        queue.add(shard(5));
        List<Long> polled = new ArrayList<>();
        while (!queue.isEmpty()) {
            polled.add(queue.poll().readySequence);
        }
        assertThat(polled).hasSize(101).isSorted();
    }

    @RepeatedTest(50)
    void behavesLikeAnOrderedMultimapOfBuckets(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        ReadyQueue<String, String> queue = new ReadyQueue<>();
        TreeMap<Long, List<Shard<String, String>>> model = new TreeMap<>();
        long newest = 0;
        for (int step = 0; step < 5000; step++) {
            int action = random.nextInt(6);
            if (action < 4 || model.isEmpty()) {
                // Mostly new arrivals, sometimes an old shard coming back, sometimes one from long ago or placed
                // far ahead of everything (a key with a long queue of slow records: before the first arrival, too).
                long sequence = switch (random.nextInt(10)) {
                    case 0 -> newest - random.nextInt(100_000);
                    case 1, 2 -> Math.max(0, newest - random.nextInt(500));
                    default -> newest += random.nextInt(5);
                };
                Shard<String, String> shard = shard(sequence);
                queue.add(shard);
                model.computeIfAbsent(Math.floorDiv(sequence, ReadyQueue.BUCKET_SPAN), b -> new ArrayList<>())
                        .add(shard);
            }
            else if (action == 4) {
                // A shard leaving from anywhere (its partition revoked, say)
                List<Long> buckets = new ArrayList<>(model.keySet());
                Long bucket = buckets.get(random.nextInt(buckets.size()));
                List<Shard<String, String>> shards = model.get(bucket);
                queue.remove(shards.remove(random.nextInt(shards.size())));
                if (shards.isEmpty()) {
                    model.remove(bucket);
                }
            }
            else {
                List<Shard<String, String>> lowest = model.firstEntry().getValue();
                assertThat(queue.poll()).isSameAs(lowest.remove(0));
                if (lowest.isEmpty()) {
                    model.pollFirstEntry();
                }
            }
            assertThat(queue.size()).isEqualTo(model.values().stream().mapToInt(List::size).sum());
            assertThat(queue.peek()).isSameAs(model.isEmpty() ? null : model.firstEntry().getValue().get(0));
        }
    }
}
