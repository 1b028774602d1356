package io.parallelconsumer.internal.work;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What the offset committer may ask of the work manager: what is safe to commit, and what the broker took. */
public interface CommittableWork {

    /**
     * What to commit for these partitions ({@code null}: all assigned): the lowest incomplete offset and, when
     * asked, the done offsets above it as metadata ({@link io.parallelconsumer.internal.offset.CompletedOffsets}).
     */
    Map<TopicPartition, OffsetAndMetadata> commitPositions(Collection<TopicPartition> tps, boolean withMetadata);

    /** The current epoch of an assigned partition, or -1. */
    int epoch(TopicPartition tp);

    /** Records that the broker acknowledged a commit of {@code offset} for the given epoch of a partition. */
    void committed(TopicPartition tp, int epoch, long offset);
}
