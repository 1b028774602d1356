package io.parallelconsumer.internal.poller;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.ParallelConsumerOptions;
import io.parallelconsumer.internal.offset.CompletedOffsets;
import io.parallelconsumer.internal.work.FetchedWork;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands partitions over in a rebalance. An assigned partition starts a new epoch, skips what its previous owner had
 * done (from the commit metadata) and starts paused if the consumer is full or paused. A revoked one finishes what
 * was fetched from it (up to the revoke timeout), commits and is fenced, so that the next owner starts right after
 * it and late results are dropped. A lost one is fenced without a commit: someone else may own it already. Runs
 * inside {@code poll}, on the poller thread.
 */
final class RebalanceListener<K, V> implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(RebalanceListener.class);

    /** What the listener needs of the poller's state. */
    interface Host {

        /** Whether newly assigned partitions must start paused: the application paused, or the budget is full. */
        boolean pausesNewPartitions();

        /** Partitions were paused here, behind the poller's back. */
        void pausedSome();

        /** The deadline for finishing revoked partitions: the revoke timeout, or a sooner stop. */
        long revokeDeadline(long nowNanos);

        /** These partitions are gone: forget what the poller keeps of them. */
        void forgotten(Collection<TopicPartition> partitions);
    }

    private final ParallelConsumerOptions<K, V> options;
    private final Consumer<K, V> consumer;
    private final FetchedWork<K, V> work;
    private final OffsetCommitter<K, V> committer;
    private final Host host;

    RebalanceListener(ParallelConsumerOptions<K, V> options, Consumer<K, V> consumer, FetchedWork<K, V> work,
            OffsetCommitter<K, V> committer, Host host) {
        this.options = options;
        this.consumer = consumer;
        this.work = work;
        this.committer = committer;
        this.host = host;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        for (TopicPartition tp : partitions) {
            work.assign(tp);
        }
        if (options.commitMetadata()) {
            restoreAlreadyDone(partitions);
        }
        if (host.pausesNewPartitions()) {
            consumer.pause(partitions); // before this poll can return anything from them
            host.pausedSome();
        }
        options.observer().partitionsAssigned(partitions);
        log.info("Parallel consumer {} assigned {}", options.name(), partitions);
    }

    /** Reads which offsets the previous owner had already done; on any trouble they are simply redone. */
    private void restoreAlreadyDone(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = consumer.committed(new HashSet<>(partitions));
        }
        catch (RuntimeException ex) {
            log.warn("Parallel consumer {}: could not read the committed offsets of {} ({}); records above them "
                    + "that were already done will run again", options.name(), partitions, ex.toString());
            return;
        }
        committed.forEach((tp, position) -> {
            if (position == null) {
                return;
            }
            CompletedOffsets done = CompletedOffsets.decode(position.metadata(), position.offset());
            if (done != null) {
                work.skipAlreadyDone(tp, done);
                log.info("Parallel consumer {}: {} resumes at offset {}; {} offsets above it were already done "
                        + "and will be skipped", options.name(), tp, position.offset(), done.count());
            }
        });
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        long deadline = host.revokeDeadline(start);
        try {
            if (!work.finishAndStop(partitions, deadline, true)) {
                // The wait is the revoke timeout, or less when the consumer is stopping and its deadline is nearer.
                log.warn("Parallel consumer {}: records of revoked {} still running after {} ms; their results "
                        + "will be dropped and they will be delivered again", options.name(), partitions,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        committer.commitSync(partitions, Poller.remaining(deadline, Poller.MAX_COMMIT_TIMEOUT));
        forget(partitions);
        log.info("Parallel consumer {} revoked {}", options.name(), partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        // Someone else may own them already: committing now could move their offsets backwards.
        forget(partitions);
        log.warn("Parallel consumer {} lost {}; uncommitted work there will be delivered again", options.name(),
                partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
        work.revoke(partitions);
        host.forgotten(partitions);
        options.observer().partitionsRevoked(partitions);
    }
}
