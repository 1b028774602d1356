package io.parallelconsumer.validation.verify;

import java.util.Map;
import java.util.Set;

/**
 * A fault the suite injected, as the verifier needs it to explain duplicates: a record processed again after the
 * fault is explained when its offset is at or above {@code redoFrom} of its partition and either it was processed
 * before the fault, or one of the two processings was a victim's. A process cut off from the network goes on with
 * what it had fetched, none of which it can commit; and when the network returns it may still run a fetch that was
 * held in flight before it hears that the group moved on without it.
 *
 * @param kind for example {@code kill-consumer}, {@code kill-broker}, {@code network-cut}, {@code stop-consumer}
 * @param target what was hit (an instance or a node)
 * @param atMicros when
 * @param victims the consumer processes whose uncommitted work the fault throws away (none for a broker fault)
 * @param redoFrom the group's committed offset of each partition that bounds what may be redone: read right after a
 *     consumer's kill or cut (the victim commits nothing more), or the last one read before a broker fault
 * @param redoAllowed false for a graceful stop: its last commit, with its metadata, covers everything finished
 */
public record Fault(String kind, String target, long atMicros, Set<String> victims, Map<Integer, Long> redoFrom,
        boolean redoAllowed) {

    public Fault {
        victims = Set.copyOf(victims);
        redoFrom = Map.copyOf(redoFrom);
    }

    boolean explains(Processed previous, Processed again) {
        return redoAllowed && again.startMicros() >= atMicros
                && again.offset() >= redoFrom.getOrDefault(again.partition(), 0L)
                && (previous.startMicros() <= atMicros || victims.contains(previous.instance())
                        || victims.contains(again.instance()));
    }
}
