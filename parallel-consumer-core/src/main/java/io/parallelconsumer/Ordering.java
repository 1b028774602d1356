package io.parallelconsumer;

/**
 * How records of the subscribed partitions may run side by side.
 * <p>
 * Whatever the ordering, offsets are committed only up to the lowest record not yet completed, so no ordering ever
 * skips a record.
 */
public enum Ordering {

    /**
     * Records with the same key, within one partition, run one at a time and in offset order; records of different
     * keys run in parallel. Records with a {@code null} key count as one key.
     */
    KEY,

    /** Records of one partition run one at a time and in offset order; partitions run in parallel. */
    PARTITION,

    /** Any record may run as soon as a worker is free. */
    UNORDERED
}
