package io.parallelconsumer.validation.verify;

import java.util.List;

/**
 * What one consumer group did with the acknowledged records, and whether that keeps the guarantees.
 *
 * @param acknowledged records the producer had acknowledged
 * @param processings every processing logged, duplicates included
 * @param lost acknowledged records never processed: must be 0
 * @param unacknowledgedProcessed records processed that the producer had given up on (written all the same; not
 *     an error)
 * @param duplicates processings of a record after its first
 * @param unexplainedDuplicates duplicates no fault explains (see {@link Fault}): must be 0
 * @param orderViolations records of a key processed for the first time after a later record of that key: must be 0
 * @param sameKeyOverlaps two records of one key processed at once inside one process: must be 0
 * @param uncommittedAtEnd records between the group's committed offsets and the log end at the end: must be 0
 * @param longestPartitionPauseMillis longest time a partition with records waiting processed none
 * @param longestTimelinePauseMillis longest time the group processed nothing while records waited
 * @param faults recovery after each fault
 * @param examples a few of each kind of failure, to start looking from
 * @param failures why it did not pass; empty when it did
 */
public record GroupVerdict(String group, long acknowledged, long processings, long lost,
        long unacknowledgedProcessed, long duplicates, long unexplainedDuplicates, long orderViolations,
        long sameKeyOverlaps, long uncommittedAtEnd, double longestPartitionPauseMillis,
        double longestTimelinePauseMillis, List<FaultRecovery> faults, List<String> examples,
        List<String> failures) {

    public boolean passed() {
        return failures.isEmpty();
    }

    /**
     * @param partitionPauseMillis longest pause of a partition with a backlog from the fault until the next one
     * @param timelinePauseMillis longest time the whole group processed nothing with a backlog, in that window
     * @param duplicatesExplained duplicates this fault explains
     */
    public record FaultRecovery(String kind, String target, long atMicros, double partitionPauseMillis,
            double timelinePauseMillis, long duplicatesExplained) {
    }
}
