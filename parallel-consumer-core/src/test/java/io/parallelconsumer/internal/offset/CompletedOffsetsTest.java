package io.parallelconsumer.internal.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The commit-metadata codec on its own and through the offset window. */
class CompletedOffsetsTest {

    @Test
    void describesTheDoneRunsAboveTheCommittedOffset() {
        // incomplete: 10, 11, 15, 20; fetched up to 25
        String metadata = CompletedOffsets.encode(new long[] {10, 11, 15, 20}, 4, 25);
        assertThat(metadata).startsWith("pc1:");

        CompletedOffsets done = CompletedOffsets.decode(metadata, 10);
        List<Long> doneOffsets = new ArrayList<>();
        for (long offset = 10; offset <= 30; offset++) {
            if (done.contains(offset)) {
                doneOffsets.add(offset);
            }
        }
        assertThat(doneOffsets).containsExactly(12L, 13L, 14L, 16L, 17L, 18L, 19L, 21L, 22L, 23L, 24L, 25L);
        assertThat(done.count()).isEqualTo(12);
        assertThat(done.exhaustedAt(26)).isTrue();
    }

    @Test
    void nothingDoneAboveTheCommitMeansNoMetadata() {
        assertThat(CompletedOffsets.encode(new long[] {7, 8, 9}, 3, 9)).isNull();
        assertThat(CompletedOffsets.encode(new long[0], 0, 9)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "plain text", "pc1:!!!", "pc1:AA", "pc0:AQE" })
    void foreignOrDamagedMetadataMeansNothingIsKnownDone(String metadata) {
        assertThat(CompletedOffsets.decode(metadata, 0)).isNull();
        assertThat(CompletedOffsets.decode(null, 0)).isNull();
    }

    @Test
    void aWindowTooScatteredForTheLimitIsCutShortNeverOverstated() {
        // every other offset incomplete: far more runs than fit in 3,000 characters
        long[] incomplete = new long[100_000];
        for (int i = 0; i < incomplete.length; i++) {
            incomplete[i] = 2L * i;
        }
        String metadata = CompletedOffsets.encode(incomplete, incomplete.length, 200_000);
        assertThat(metadata.length()).isLessThanOrEqualTo(CompletedOffsets.MAX_CHARS);
        CompletedOffsets done = CompletedOffsets.decode(metadata, 0);
        long known = 0;
        for (long offset = 0; offset < 200_000; offset++) {
            if (done.contains(offset)) {
                assertThat(offset % 2).as("offset %d is not done", offset).isEqualTo(1);
                known++;
            }
        }
        assertThat(known).isGreaterThan(1000).isLessThan(100_000);
    }

    /**
     * Property: through the offset window, the metadata marks exactly the fetched offsets above the commit offset
     * that completed (and the holes between them), and never one that is incomplete.
     */
    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 })
    void agreesWithTheWindow(long seed) {
        Random random = new Random(seed);
        OffsetWindow window = new OffsetWindow();
        List<long[]> pending = new ArrayList<>();
        TreeSet<Long> incomplete = new TreeSet<>();
        TreeSet<Long> completed = new TreeSet<>();
        long next = 0;
        for (int step = 0; step < 2000; step++) {
            if (pending.isEmpty() || random.nextInt(100) < 50) {
                next += random.nextInt(8) == 0 ? 1 + random.nextInt(3) : 0; // holes
                long offset = next++;
                pending.add(new long[] {offset, window.add(offset, 0)});
                incomplete.add(offset);
            }
            else {
                long[] done = pending.remove(random.nextInt(pending.size()));
                window.complete(done[1], 0);
                incomplete.remove(done[0]);
                completed.add(done[0]);
            }
            String metadata = window.completedMetadata();
            long commit = window.commitOffset();
            CompletedOffsets decoded = CompletedOffsets.decode(metadata, commit);
            long lastDone = completed.isEmpty() ? -1 : completed.last();
            for (long offset = commit; offset < next; offset++) {
                boolean markedDone = decoded != null && decoded.contains(offset);
                if (incomplete.contains(offset)) {
                    assertThat(markedDone).as("incomplete %d marked done", offset).isFalse();
                }
                else if (completed.contains(offset) && offset > commit) {
                    assertThat(markedDone).as("completed %d not marked done (last done %d)", offset, lastDone)
                            .isTrue();
                }
            }
        }
    }
}
