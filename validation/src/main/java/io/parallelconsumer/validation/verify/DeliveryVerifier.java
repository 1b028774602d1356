package io.parallelconsumer.validation.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one consumer group's processing logs against the producer's acknowledgements. A record is known by its
 * partition and offset; every check works from the logged times, all taken on one machine's clock.
 */
public final class DeliveryVerifier {

    private static final int EXAMPLES_PER_KIND = 5;

    private DeliveryVerifier() {
    }

    /**
     * @param committedAtEnd the group's committed offset per partition once everything was processed
     * @param logEndAtEnd the topic's log-end offset per partition at the same time
     */
    public static GroupVerdict verify(String group, List<Ack> acks, List<Processed> processings, List<Fault> faults,
            Map<Integer, Long> committedAtEnd, Map<Integer, Long> logEndAtEnd) {
        List<Processed> byStart = new ArrayList<>(processings);
        byStart.sort(Comparator.comparingLong(Processed::startMicros).thenComparingLong(Processed::endMicros));
        List<Fault> faultsInOrder = faults.stream().sorted(Comparator.comparingLong(Fault::atMicros)).toList();
        List<String> examples = new ArrayList<>();
        List<String> failures = new ArrayList<>();

        // First processing of each record; every later one is a duplicate, to be explained by a fault.
        Map<Position, Processed> first = new HashMap<>();
        Map<Position, Processed> latest = new HashMap<>();
        long duplicates = 0;
        long unexplained = 0;
        long[] explainedBy = new long[faultsInOrder.size()];
        List<String> unexplainedExamples = new ArrayList<>();
        for (Processed processed : byStart) {
            Position position = new Position(processed.partition(), processed.offset());
            Processed previous = latest.put(position, processed);
            if (previous == null) {
                first.put(position, processed);
                continue;
            }
            duplicates++;
            int fault = explainingFault(faultsInOrder, previous, processed);
            if (fault < 0) {
                unexplained++;
                example(unexplainedExamples, "unexplained duplicate " + position + " (" + processed.key() + "#"
                        + processed.sequence() + "): first by " + previous.instance() + " at " + previous.startMicros()
                        + ", again by " + processed.instance() + " at " + processed.startMicros());
            }
            else {
                explainedBy[fault]++;
            }
        }

        long lost = 0;
        List<String> lostExamples = new ArrayList<>();
        Set<Position> acknowledged = new HashSet<>(acks.size() * 2);
        for (Ack ack : acks) {
            Position position = new Position(ack.partition(), ack.offset());
            acknowledged.add(position);
            if (!first.containsKey(position)) {
                lost++;
                example(lostExamples, "lost " + position + " (" + ack.key() + "#" + ack.sequence() + ", acknowledged at "
                        + ack.ackedMicros() + ")");
            }
        }
        long unacknowledgedProcessed = first.keySet().stream().filter(p -> !acknowledged.contains(p)).count();

        List<String> orderExamples = new ArrayList<>();
        long orderViolations = orderViolations(byStart, first, orderExamples);
        List<String> overlapExamples = new ArrayList<>();
        long overlaps = sameKeyOverlaps(byStart, overlapExamples);

        long uncommitted = 0;
        for (Map.Entry<Integer, Long> end : logEndAtEnd.entrySet()) {
            long committed = committedAtEnd.getOrDefault(end.getKey(), 0L);
            if (committed != end.getValue()) {
                uncommitted += Math.abs(end.getValue() - committed);
                example(examples, "partition " + end.getKey() + " committed " + committed + ", log end "
                        + end.getValue());
            }
        }

        Pauses pauses = Pauses.of(acks, byStart, first);
        List<GroupVerdict.FaultRecovery> recoveries = new ArrayList<>();
        for (int i = 0; i < faultsInOrder.size(); i++) {
            Fault fault = faultsInOrder.get(i);
            long until = i + 1 < faultsInOrder.size() ? faultsInOrder.get(i + 1).atMicros() : Long.MAX_VALUE;
            recoveries.add(new GroupVerdict.FaultRecovery(fault.kind(), fault.target(), fault.atMicros(),
                    pauses.longestPartitionPause(fault.atMicros(), until) / 1000.0,
                    pauses.longestTimelinePause(fault.atMicros(), until) / 1000.0, explainedBy[i]));
        }

        check(failures, lost == 0, lost + " acknowledged records lost");
        check(failures, unexplained == 0, unexplained + " duplicates no fault explains");
        check(failures, orderViolations == 0, orderViolations + " key order violations");
        check(failures, overlaps == 0, overlaps + " times two records of a key ran at once in one process");
        check(failures, uncommitted == 0, uncommitted + " records not committed at the end");
        List<String> allExamples = new ArrayList<>();
        allExamples.addAll(lostExamples);
        allExamples.addAll(unexplainedExamples);
        allExamples.addAll(orderExamples);
        allExamples.addAll(overlapExamples);
        allExamples.addAll(examples);
        return new GroupVerdict(group, acks.size(), processings.size(), lost, unacknowledgedProcessed, duplicates,
                unexplained, orderViolations, overlaps, uncommitted, pauses.longestPartitionPause(0, Long.MAX_VALUE)
                / 1000.0, pauses.longestTimelinePause(0, Long.MAX_VALUE) / 1000.0, List.copyOf(recoveries),
                List.copyOf(allExamples), List.copyOf(failures));
    }

    private static int explainingFault(List<Fault> faults, Processed previous, Processed again) {
        for (int i = faults.size() - 1; i >= 0; i--) {
            if (faults.get(i).explains(previous, again)) {
                return i;
            }
        }
        return -1;
    }

    /** A key's record processed for the first time after a record of that key with a higher sequence number. */
    private static long orderViolations(List<Processed> byStart, Map<Position, Processed> first,
            List<String> examples) {
        Map<String, Processed> highest = new HashMap<>();
        long violations = 0;
        for (Processed processed : byStart) {
            if (first.get(new Position(processed.partition(), processed.offset())) != processed) {
                continue;
            }
            Processed before = highest.get(processed.key());
            if (before != null && before.sequence() > processed.sequence()) {
                violations++;
                example(examples, "order: " + processed.key() + "#" + processed.sequence() + " first processed at "
                        + processed.startMicros() + " by " + processed.instance() + ", after #" + before.sequence()
                        + " at " + before.startMicros() + " by " + before.instance());
            }
            else {
                highest.put(processed.key(), processed);
            }
        }
        return violations;
    }

    /** Two records of one key processed at overlapping times by the same process. */
    private static long sameKeyOverlaps(List<Processed> byStart, List<String> examples) {
        Map<String, Processed> running = new HashMap<>();
        long overlaps = 0;
        for (Processed processed : byStart) {
            String slot = processed.instance() + '\u0000' + processed.key();
            Processed before = running.get(slot);
            if (before != null && processed.startMicros() < before.endMicros()) {
                overlaps++;
                example(examples, "overlap in " + processed.instance() + ": " + processed.key() + "#"
                        + processed.sequence() + " started at " + processed.startMicros() + " while #"
                        + before.sequence() + " ran until " + before.endMicros());
            }
            if (before == null || processed.endMicros() > before.endMicros()) {
                running.put(slot, processed);
            }
        }
        return overlaps;
    }

    private static void check(List<String> failures, boolean holds, String otherwise) {
        if (!holds) {
            failures.add(otherwise);
        }
    }

    private static void example(List<String> examples, String example) {
        if (examples.size() < EXAMPLES_PER_KIND) {
            examples.add(example);
        }
    }

    record Position(int partition, long offset) {
        @Override
        public String toString() {
            return partition + "@" + offset;
        }
    }

    /**
     * Pauses: stretches in which a partition (or the whole group) processed nothing while one of its acknowledged
     * records was waiting. A record waits from its acknowledgement to its first processing's start.
     */
    static final class Pauses {

        /** Pause intervals of single partitions and of the timeline, as {from, to} in microseconds. */
        private final List<long[]> partition = new ArrayList<>();
        private final List<long[]> timeline = new ArrayList<>();

        static Pauses of(List<Ack> acks, List<Processed> byStart, Map<Position, Processed> first) {
            Pauses pauses = new Pauses();
            Map<Integer, List<Processed>> eventsByPartition = new HashMap<>();
            Map<Integer, List<Ack>> acksByPartition = new HashMap<>();
            for (Processed processed : byStart) {
                eventsByPartition.computeIfAbsent(processed.partition(), p -> new ArrayList<>()).add(processed);
            }
            for (Ack ack : acks) {
                acksByPartition.computeIfAbsent(ack.partition(), p -> new ArrayList<>()).add(ack);
            }
            for (Map.Entry<Integer, List<Processed>> events : eventsByPartition.entrySet()) {
                collect(events.getValue(), acksByPartition.getOrDefault(events.getKey(), List.of()), first,
                        pauses.partition);
            }
            collect(byStart, acks, first, pauses.timeline);
            return pauses;
        }

        /** Gaps between processings (events sorted by start) during which an acknowledged record was waiting. */
        private static void collect(List<Processed> events, List<Ack> acks, Map<Position, Processed> first,
                List<long[]> into) {
            // Records by the start of their first processing, with the earliest acknowledgement among them and
            // every later one: the longest-waiting record at any processing start.
            int n = 0;
            long[] firstStart = new long[acks.size()];
            long[] acked = new long[acks.size()];
            Integer[] order = new Integer[acks.size()];
            for (Ack ack : acks) {
                Processed processed = first.get(new Position(ack.partition(), ack.offset()));
                if (processed != null) {
                    firstStart[n] = processed.startMicros();
                    acked[n] = ack.ackedMicros();
                    order[n] = n;
                    n++;
                }
            }
            Integer[] sorted = Arrays.copyOf(order, n);
            Arrays.sort(sorted, Comparator.comparingLong(i -> firstStart[i]));
            long[] starts = new long[n];
            long[] earliestAckFromHere = new long[n + 1];
            earliestAckFromHere[n] = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                starts[i] = firstStart[sorted[i]];
            }
            for (int i = n - 1; i >= 0; i--) {
                earliestAckFromHere[i] = Math.min(earliestAckFromHere[i + 1], acked[sorted[i]]);
            }
            long busyUntil = Long.MIN_VALUE;
            for (Processed event : events) {
                long gapEnd = event.startMicros();
                if (gapEnd > busyUntil) {
                    int from = lowerBound(starts, gapEnd);
                    long waitingSince = Math.max(busyUntil, earliestAckFromHere[from]);
                    if (waitingSince < gapEnd) {
                        into.add(new long[] {waitingSince, gapEnd});
                    }
                }
                busyUntil = Math.max(busyUntil, event.endMicros());
            }
        }

        private static int lowerBound(long[] sorted, long value) {
            int low = 0;
            int high = sorted.length;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (sorted[middle] < value) {
                    low = middle + 1;
                }
                else {
                    high = middle;
                }
            }
            return low;
        }

        long longestPartitionPause(long from, long until) {
            return longest(partition, from, until);
        }

        long longestTimelinePause(long from, long until) {
            return longest(timeline, from, until);
        }

        /** Longest pause that ends after {@code from} and begins before {@code until}. */
        private static long longest(List<long[]> pauses, long from, long until) {
            long longest = 0;
            for (long[] pause : pauses) {
                if (pause[1] > from && pause[0] < until) {
                    longest = Math.max(longest, pause[1] - pause[0]);
                }
            }
            return longest;
        }
    }
}
