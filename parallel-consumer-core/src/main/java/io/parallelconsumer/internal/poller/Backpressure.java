package io.parallelconsumer.internal.poller;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * Decides which partitions to pause so that records fetched but not completed stay bounded, with hysteresis so
 * that fetching does not flap on and off at the limit.
 * <p>
 * Two rules that bound memory, each pausing at a high mark and resuming only at {@code resumeRatio} of it, and one
 * that decides which partitions fill the budget:
 * <ul>
 * <li>The consumer is <em>full</em> when all incomplete records reach {@code maxInFlight}: every partition pauses,
 * and all resume when the total falls to {@code resumeRatio x maxInFlight}.</li>
 * <li>With more than one partition assigned, a partition is <em>congested</em> - the cause - when it alone holds
 * {@code resumeRatio x maxInFlight / 2} incomplete records and at least twice the average of the others: typically
 * one slow key holding back its successors. Only that partition pauses, so the others go on; since a congested
 * partition holds less than the global resume mark, it can never keep the others paused for good. It resumes
 * when its own count falls to {@code resumeRatio} of its mark.</li>
 * <li>While the budget is <em>pressed</em> (the total above the resume mark), a partition that is <em>ahead</em> -
 * with fewer than half as many records left to fetch as the partition with the most (of those not congested,
 * which cannot fetch now) - waits until it has at least {@value #CATCH_UP_PERCENT} % of that partition's count or
 * the pressure ends. The Kafka consumer hands out one partition's fetched records (about a megabyte of them) before
 * the next one's, so every partition gets about the same turns however much it has left, and after a backlog the
 * largest partition would finish last and alone, with only its own keys busy. Partitions with no more left to fetch
 * than an equal share of {@code maxInFlight} never wait: they are caught up, or nearly, and what they bring is
 * small and may be waited for.</li>
 * </ul>
 * Memory therefore stays within {@code maxInFlight} plus one fetch. Not thread-safe: the poller thread owns it.
 */
final class Backpressure {

    /** How many records a partition that is ahead must have left to fetch, in % of the most, before it goes on. */
    static final int CATCH_UP_PERCENT = 60;

    private final int high;
    private final int low;
    private final int partitionHigh;
    private final int partitionLow;
    private boolean full;
    private final Set<TopicPartition> congested = new HashSet<>();
    private final Set<TopicPartition> ahead = new HashSet<>();
    private int wakeMark = -1;

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
     * @param leftToFetch records left to fetch per assigned partition, as of its last fetch; partitions not yet
     *        fetched from are missing and never wait for the others
     * @return how many pauses began with this update
     */
    int update(int total, Map<TopicPartition, Integer> perPartition, Map<TopicPartition, Long> leftToFetch) {
        int pauses = updateFull(total) + updateCongested(total, perPartition)
                + updateAhead(total, perPartition.size(), leftToFetch);
        wakeMark = full || !ahead.isEmpty() ? low : -1;
        for (TopicPartition tp : congested) {
            int overItsMark = perPartition.getOrDefault(tp, 0) - partitionLow;
            wakeMark = Math.max(wakeMark, total - overItsMark);
        }
        return pauses;
    }

    private int updateFull(int total) {
        if (!full && total >= high) {
            full = true;
            return 1;
        }
        if (full && total <= low) {
            full = false;
        }
        return 0;
    }

    private int updateCongested(int total, Map<TopicPartition, Integer> perPartition) {
        int pauses = 0;
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

    /** Which partitions are ahead of the others in a backlog; runs after the congested ones, which do not count. */
    private int updateAhead(int total, int assigned, Map<TopicPartition, Long> leftToFetch) {
        if (total <= low) {
            ahead.clear();
            return 0;
        }
        ahead.retainAll(leftToFetch.keySet());
        long most = 0;
        for (Map.Entry<TopicPartition, Long> entry : leftToFetch.entrySet()) {
            if (!congested.contains(entry.getKey())) {
                most = Math.max(most, entry.getValue());
            }
        }
        long nearlyCaughtUp = high / Math.max(1, assigned);
        int pauses = 0;
        for (Map.Entry<TopicPartition, Long> entry : leftToFetch.entrySet()) {
            long left = entry.getValue();
            if (left <= nearlyCaughtUp || left * 100 >= most * CATCH_UP_PERCENT) {
                ahead.remove(entry.getKey());
            }
            else if (left * 2 < most && ahead.add(entry.getKey())) {
                pauses++;
            }
        }
        return pauses;
    }

    /**
     * The incomplete total, as of the last {@link #update}, at or below which a partition paused now may resume,
     * so that the poller should look again; -1 if no pause waits for completions. For a congested partition it is
     * the total less what the partition holds over its own resume mark: completions elsewhere lower the total too,
     * so the look may come early (the poller then finds it still congested and waits for the next mark), never
     * late. Without it, a congested partition whose records were the last fetched ones left to hand out kept the
     * poller in a paused poll with nothing to return - no fetch goes out while they are buffered - for the whole
     * paused poll timeout, in drains of fast records well after the partition had caught up.
     */
    int wakeMark() {
        return wakeMark;
    }

    /**
     * Whether, with nothing paused now, {@link #update} at this total would leave everything as it is - no rule is
     * in force and none can start: the total is below a single partition's congestion mark, so no partition can
     * hold that many, nor the budget be full or pressed. The poller then need not count records per partition.
     */
    boolean calmAt(int total) {
        return !full && congested.isEmpty() && ahead.isEmpty() && total < partitionHigh;
    }

    /** Whether this partition should not be fetched from now. */
    boolean shouldPause(TopicPartition tp) {
        return full || congested.contains(tp) || ahead.contains(tp);
    }

    boolean full() {
        return full;
    }
}
