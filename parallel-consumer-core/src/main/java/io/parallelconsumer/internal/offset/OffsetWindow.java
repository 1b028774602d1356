package io.parallelconsumer.internal.offset;

import java.util.function.LongConsumer;

/**
 * The offsets of one partition between the lowest incomplete one and the highest fetched one, and which of them are
 * complete: the structure that decides what may be committed.
 * <p>
 * Offsets arrive in increasing order but need not be contiguous (compaction, transaction markers). Each fetched
 * offset gets a <em>handle</em>, its position in fetch order; completing by handle is O(1), and the low end of the
 * window moves past completed offsets at amortised O(1) per offset. Storage is a ring of offsets plus one bit per
 * offset, growing only while a low offset stays incomplete, and shrinking back once the window is an eighth of
 * the ring, so that one record that blocked for long does not keep a large ring for good.
 * <p>
 * The number of runs of incomplete offsets is kept up to date on every change, so reading the gaps costs nothing.
 * <p>
 * Not thread-safe: the owner guards it.
 */
public final class OffsetWindow {

    private static final int INITIAL_CAPACITY = 64;

    private long[] offsets = new long[INITIAL_CAPACITY];
    private long[] doneBits = new long[INITIAL_CAPACITY / 64];
    private int mask = INITIAL_CAPACITY - 1;

    /** Handle of the lowest incomplete offset; equals {@link #tail} when nothing is incomplete. */
    private long base;
    /** Handle the next fetched offset will get. */
    private long tail;
    private int incomplete;
    /** Maximal runs of incomplete offsets within the window. */
    private int runs;
    private long lastOffset = -1;
    /** The next offset to fetch, as far as known; what is committed when nothing is incomplete. */
    private long nextFetchOffset = -1;
    private long blockedSinceNanos;

    /**
     * Adds a fetched offset, incomplete.
     * @return its handle, for {@link #complete(long)}
     * @throws IllegalArgumentException if the offset is not above every offset added before
     */
    public long add(long offset, long nowNanos) {
        long handle = append(offset);
        incomplete++;
        if (handle == base) {
            blockedSinceNanos = nowNanos;
        }
        if (handle == base || isDone(handle - 1)) {
            runs++;
        }
        return handle;
    }

    /** Adds a fetched offset that needs no processing (for example a record given up on before it ran). */
    public void addCompleted(long offset) {
        long handle = append(offset);
        if (handle == base) {
            // nothing below is incomplete: the window stays empty
            base = tail;
        }
        else {
            setDone(handle);
        }
    }

    private long append(long offset) {
        if (offset <= lastOffset) {
            throw new IllegalArgumentException(
                    "Offsets must be added in increasing order: " + offset + " after " + lastOffset);
        }
        if (tail - base == offsets.length) {
            resize(offsets.length * 2);
        }
        long handle = tail++;
        int slot = (int) (handle & mask);
        offsets[slot] = offset;
        clearDone(handle);
        lastOffset = offset;
        nextFetchOffset = Math.max(nextFetchOffset, offset + 1);
        return handle;
    }

    /**
     * Marks the offset with this handle complete.
     * @return {@code false} if the handle is unknown or already complete
     */
    public boolean complete(long handle, long nowNanos) {
        if (handle < base || handle >= tail || isDone(handle)) {
            return false;
        }
        boolean leftIncomplete = handle > base && !isDone(handle - 1);
        boolean rightIncomplete = handle + 1 < tail && !isDone(handle + 1);
        if (leftIncomplete && rightIncomplete) {
            runs++;
        }
        else if (!leftIncomplete && !rightIncomplete) {
            runs--;
        }
        incomplete--;
        if (handle == base) {
            clearDone(base++);
            while (base < tail && isDone(base)) {
                clearDone(base++);
            }
            blockedSinceNanos = nowNanos;
            // Shrink with hysteresis: to a quarter, so that the window fills at most half of the smaller ring.
            if (offsets.length > INITIAL_CAPACITY && tail - base <= offsets.length / 8) {
                resize(Math.max(INITIAL_CAPACITY, offsets.length / 4));
            }
        }
        else {
            setDone(handle);
        }
        return true;
    }

    /** Raises the next fetch offset, which is committed when nothing is incomplete (it may skip control records). */
    public void fetchPosition(long position) {
        nextFetchOffset = Math.max(nextFetchOffset, position);
    }

    /** The offset to commit: the lowest incomplete offset, else the next fetch offset; -1 if nothing was fetched. */
    public long commitOffset() {
        return base < tail ? offsets[(int) (base & mask)] : nextFetchOffset;
    }

    /** The lowest incomplete offset, or -1 if none. */
    public long blockingOffset() {
        return base < tail ? offsets[(int) (base & mask)] : -1;
    }

    /** {@link System#nanoTime()} when the current blocking offset became the lowest incomplete one. */
    public long blockedSinceNanos() {
        return blockedSinceNanos;
    }

    public int incomplete() {
        return incomplete;
    }

    /** Runs of incomplete offsets above the first run: the holes left by records completed out of order. */
    public int gaps() {
        return runs == 0 ? 0 : runs - 1;
    }

    /** The highest offset added, or -1. */
    public long highestOffset() {
        return lastOffset;
    }

    /** Slots of the ring, for tests of its growth and shrinking. */
    int capacity() {
        return offsets.length;
    }

    /** Offsets held between the lowest incomplete one and the highest fetched one; for tests. */
    int size() {
        return (int) (tail - base);
    }

    /**
     * Which offsets above the commit offset are already done, as commit metadata ({@link CompletedOffsets}), or
     * {@code null} when none is.
     */
    public String completedMetadata() {
        if (incomplete == 0) {
            return null;
        }
        long[] offsetsNotDone = new long[incomplete];
        int count = 0;
        for (long handle = base; handle < tail; handle++) {
            if (!isDone(handle)) {
                offsetsNotDone[count++] = offsets[(int) (handle & mask)];
            }
        }
        return CompletedOffsets.encode(offsetsNotDone, count, lastOffset);
    }

    /** Calls {@code visitor} with each incomplete offset in increasing order; for tests. */
    void forEachIncomplete(LongConsumer visitor) {
        for (long handle = base; handle < tail; handle++) {
            if (!isDone(handle)) {
                visitor.accept(offsets[(int) (handle & mask)]);
            }
        }
    }

    /** Moves the window into a ring of {@code capacity} slots (a power of two, at least the window's size). */
    private void resize(int capacity) {
        long[] newOffsets = new long[capacity];
        long[] newBits = new long[newOffsets.length / 64];
        int newMask = newOffsets.length - 1;
        for (long handle = base; handle < tail; handle++) {
            int newSlot = (int) (handle & newMask);
            newOffsets[newSlot] = offsets[(int) (handle & mask)];
            if (isDone(handle)) {
                newBits[newSlot >>> 6] |= 1L << newSlot;
            }
        }
        offsets = newOffsets;
        doneBits = newBits;
        mask = newMask;
    }

    private boolean isDone(long handle) {
        int slot = (int) (handle & mask);
        return (doneBits[slot >>> 6] & (1L << slot)) != 0;
    }

    private void setDone(long handle) {
        int slot = (int) (handle & mask);
        doneBits[slot >>> 6] |= 1L << slot;
    }

    private void clearDone(long handle) {
        int slot = (int) (handle & mask);
        doneBits[slot >>> 6] &= ~(1L << slot);
    }
}
