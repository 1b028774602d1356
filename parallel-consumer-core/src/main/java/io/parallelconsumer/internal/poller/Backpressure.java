package io.parallelconsumer.internal.poller;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * Decides which partitions to pause so that records fetched but not completed stay bounded, with hysteresis so
 * that fetching does not flap on and off at the limit.
 * <p>
 * Two rules, each pausing at a high mark and resuming only at {@code resumeRatio} of it:
 * <ul>
 * <li>The consumer is <em>full</em> when all incomplete records reach {@code maxInFlight}: every partition pauses,
 * and all resume when the total falls to {@code resumeRatio x maxInFlight}.</li>
 * <li>With more than one partition assigned, a partition is <em>congested</em> - the cause - when it alone holds
 * {@code resumeRatio x maxInFlight / 2} incomplete records and at least twice the average of the others: typically
 * one slow key holding back its successors. Only that partition pauses, so the others go on; since a congested
 * partition holds less than the global resume mark, it can never keep the others paused for good. It resumes
 * when its own count falls to {@code resumeRatio} of its mark.</li>
 * </ul>
 * Memory therefore stays within {@code maxInFlight} plus one fetch. Not thread-safe: the poller thread owns it.
 */
final class Backpressure {

    private final int high;
    private final int low;
    private final int partitionHigh;
    private final int partitionLow;
    private boolean full;
    private final Set<TopicPartition> congested = new HashSet<>();

    Backpressure(int maxInFlight, double resumeRatio) {
        this.high = maxInFlight;
        this.low = (int) Math.floor(maxInFlight * resumeRatio);
        this.partitionHigh = Math.max(1, (int) Math.floor(maxInFlight * resumeRatio / 2));
        this.partitionLow = (int) Math.floor(partitionHigh * resumeRatio);
    }

    /**
     * Updates the state from current counts.
     * @param total incomplete records over all assigned partitions
     * @param perPartition incomplete records per assigned partition
     * @return how many pauses began with this update
     */
    int update(int total, Map<TopicPartition, Integer> perPartition) {
        int pauses = 0;
        if (!full && total >= high) {
            full = true;
            pauses++;
        }
        else if (full && total <= low) {
            full = false;
        }
        congested.retainAll(perPartition.keySet());
        int others = perPartition.size() - 1;
        for (Map.Entry<TopicPartition, Integer> entry : perPartition.entrySet()) {
            int count = entry.getValue();
            boolean several = others > 0;
            if (several && count >= partitionHigh && (long) count * others >= 2L * (total - count)) {
                if (congested.add(entry.getKey())) {
                    pauses++;
                }
            }
            else if (!several || count <= partitionLow) {
                congested.remove(entry.getKey());
            }
        }
        return pauses;
    }

    /** Whether this partition should not be fetched from now. */
    boolean shouldPause(TopicPartition tp) {
        return full || congested.contains(tp);
    }

    boolean full() {
        return full;
    }

    /** The incomplete count at which a full consumer resumes. */
    int resumeMark() {
        return low;
    }
}
