package io.parallelconsumer.internal.offset;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Which offsets above a committed offset are already done, carried in the commit's metadata so that whoever owns
 * the partition next - this consumer after a restart, or another member after a rebalance - skips them instead of
 * processing them again.
 * <p>
 * The text is {@code pc1:} and, base64url-encoded, pairs of varints: the length of a run of offsets not done, then
 * the length of the run of done offsets after it, from the committed offset (always not done) up to the highest
 * fetched offset. Offsets missing from the log (compaction, transaction markers) fall in done runs. What is not
 * described is not done: a truncated or unreadable text only means more records are processed again, never one
 * skipped that was not done.
 */
public final class CompletedOffsets {

    /** Marks our metadata, and its format version. */
    static final String PREFIX = "pc1:";
    /**
     * Kept well below the broker's {@code offset.metadata.max.bytes} (4096 by default); runs past it are left out,
     * which only means those records run again.
     */
    static final int MAX_CHARS = 3000;

    private final long[] starts;
    private final long[] ends;
    private int cursor;

    private CompletedOffsets(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    /**
     * Encodes the done offsets of a window.
     * @param incomplete the incomplete offsets in increasing order; the first is the offset being committed
     * @param highestFetched the highest offset fetched; nothing above it is done
     * @return the metadata, or {@code null} when nothing above the committed offset is done
     */
    public static String encode(long[] incomplete, int count, long highestFetched) {
        if (count == 0) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int budget = (MAX_CHARS - PREFIX.length()) * 3 / 4;
        boolean anyDone = false;
        int i = 0;
        while (i < count) {
            int j = i;
            while (j + 1 < count && incomplete[j + 1] == incomplete[j] + 1) {
                j++;
            }
            long notDone = incomplete[j] - incomplete[i] + 1;
            long nextIncomplete = j + 1 < count ? incomplete[j + 1] : highestFetched + 1;
            long done = Math.max(0, nextIncomplete - incomplete[j] - 1);
            if (done == 0) {
                break; // nothing done after the last incomplete run
            }
            if (bytes.size() + varLongSize(notDone) + varLongSize(done) > budget) {
                break;
            }
            writeVarLong(bytes, notDone);
            writeVarLong(bytes, done);
            anyDone = true;
            i = j + 1;
        }
        if (!anyDone) {
            return null;
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /**
     * Reads metadata written by {@link #encode}.
     * @return the done offsets above {@code committedOffset}, or {@code null} when the metadata is absent, someone
     * else's, or unreadable
     */
    public static CompletedOffsets decode(String metadata, long committedOffset) {
        if (metadata == null || !metadata.startsWith(PREFIX) || committedOffset < 0) {
            return null;
        }
        byte[] bytes;
        try {
            String encoded = metadata.substring(PREFIX.length());
            bytes = Base64.getUrlDecoder().decode(encoded.getBytes(StandardCharsets.US_ASCII));
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
        long[] starts = new long[8];
        long[] ends = new long[8];
        int runs = 0;
        long position = committedOffset;
        int[] at = { 0 };
        while (at[0] < bytes.length) {
            long notDone = readVarLong(bytes, at);
            long done = at[0] < bytes.length ? readVarLong(bytes, at) : -1;
            if (notDone < 1 || done < 1) {
                return null; // not written by encode
            }
            position += notDone;
            if (runs == starts.length) {
                starts = Arrays.copyOf(starts, runs * 2);
                ends = Arrays.copyOf(ends, runs * 2);
            }
            starts[runs] = position;
            ends[runs] = position + done;
            runs++;
            position += done;
        }
        return runs == 0 ? null : new CompletedOffsets(Arrays.copyOf(starts, runs), Arrays.copyOf(ends, runs));
    }

    /** Whether an offset is done. Offsets must be asked in increasing order (as they are fetched). */
    public boolean contains(long offset) {
        while (cursor < starts.length && ends[cursor] <= offset) {
            cursor++;
        }
        return cursor < starts.length && starts[cursor] <= offset;
    }

    /** Whether no offset from {@code offset} on can be done: the record of what is done is no longer needed. */
    public boolean exhaustedAt(long offset) {
        return offset >= ends[ends.length - 1];
    }

    /** How many offsets are marked done (missing offsets included). */
    public long count() {
        long count = 0;
        for (int i = 0; i < starts.length; i++) {
            count += ends[i] - starts[i];
        }
        return count;
    }

    private static int varLongSize(long value) {
        int size = 1;
        for (long v = value >>> 7; v != 0; v >>>= 7) {
            size++;
        }
        return size;
    }

    private static void writeVarLong(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarLong(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= bytes.length) {
                return -1;
            }
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }
}
