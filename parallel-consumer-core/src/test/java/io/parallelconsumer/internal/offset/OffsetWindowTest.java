package io.parallelconsumer.internal.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OffsetWindowTest {

    @Test
    void commitsLowestIncompleteOffset() {
        OffsetWindow window = new OffsetWindow();
        long h10 = window.add(10, 0);
        long h11 = window.add(11, 0);
        long h12 = window.add(12, 0);

        assertThat(window.commitOffset()).isEqualTo(10);
        window.complete(h11, 1);
        assertThat(window.commitOffset()).isEqualTo(10);
        assertThat(window.gaps()).isEqualTo(1);
        window.complete(h10, 2);
        assertThat(window.commitOffset()).isEqualTo(12);
        assertThat(window.gaps()).isZero();
        window.complete(h12, 3);
        assertThat(window.commitOffset()).isEqualTo(13);
        assertThat(window.incomplete()).isZero();
        assertThat(window.blockingOffset()).isEqualTo(-1);
    }

    @Test
    void nothingFetchedMeansNothingToCommit() {
        assertThat(new OffsetWindow().commitOffset()).isEqualTo(-1);
    }

    @Test
    void commitsFetchPositionPastControlRecordsWhenAllComplete() {
        OffsetWindow window = new OffsetWindow();
        window.complete(window.add(5, 0), 0);
        window.fetchPosition(7); // offset 6 was a transaction marker
        assertThat(window.commitOffset()).isEqualTo(7);
    }

    @Test
    void completedOffsetsAddedLaterDoNotBlock() {
        OffsetWindow window = new OffsetWindow();
        long h1 = window.add(1, 0);
        window.addCompleted(2);
        assertThat(window.commitOffset()).isEqualTo(1);
        window.complete(h1, 0);
        assertThat(window.commitOffset()).isEqualTo(3);
        window.addCompleted(3);
        assertThat(window.commitOffset()).isEqualTo(4);
    }

    @Test
    void rejectsOffsetsOutOfOrderAndIgnoresStaleHandles() {
        OffsetWindow window = new OffsetWindow();
        long handle = window.add(5, 0);
        assertThatIllegalArgumentException().isThrownBy(() -> window.add(5, 0));
        assertThat(window.complete(handle, 0)).isTrue();
        assertThat(window.complete(handle, 0)).as("second completion").isFalse();
        assertThat(window.complete(handle + 10, 0)).as("unknown handle").isFalse();
    }

    @Test
    void tracksSinceWhenTheBlockingOffsetBlocks() {
        OffsetWindow window = new OffsetWindow();
        long h1 = window.add(1, 100);
        window.add(2, 200);
        assertThat(window.blockedSinceNanos()).isEqualTo(100);
        window.complete(h1, 500);
        assertThat(window.blockingOffset()).isEqualTo(2);
        assertThat(window.blockedSinceNanos()).isEqualTo(500);
    }

    @Test
    void growsWhileALowOffsetStaysIncomplete() {
        OffsetWindow window = new OffsetWindow();
        window.add(0, 0);
        for (long offset = 1; offset <= 100_000; offset++) {
            window.complete(window.add(offset, 0), 0);
        }
        assertThat(window.commitOffset()).isZero();
        assertThat(window.incomplete()).isEqualTo(1);
        assertThat(window.size()).isEqualTo(100_001);
        assertThat(window.gaps()).isZero();
    }

    @Test
    void shrinksBackOnceTheBlockingOffsetCompletesAndKeepsItsContents() {
        OffsetWindow window = new OffsetWindow();
        long blocking = window.add(0, 0);
        List<Long> stillIncomplete = new ArrayList<>();
        for (long offset = 1; offset <= 100_000; offset++) {
            long handle = window.add(offset, 0);
            if (offset % 10_000 == 0) {
                stillIncomplete.add(offset); // a few others stay incomplete too
            }
            else {
                window.complete(handle, 0);
            }
        }
        int grown = window.capacity();
        assertThat(grown).isGreaterThanOrEqualTo(100_001);

        window.complete(blocking, 0);
        // The window now runs from 10,000 to 100,000: a tenth of the ring is still too large to shrink.
        assertThat(window.capacity()).isEqualTo(grown);
        for (long offset = 100_001; offset <= 100_100; offset++) {
            window.complete(window.add(offset, 0), 0);
        }
        assertThat(window.commitOffset()).isEqualTo(10_000);
        List<Long> incomplete = new ArrayList<>();
        window.forEachIncomplete(incomplete::add);
        assertThat(incomplete).isEqualTo(stillIncomplete);
        assertThat(window.gaps()).isEqualTo(stillIncomplete.size() - 1);

        // While old offsets still hold the window open, the ring keeps its size.
        for (long offset = 100_101; offset <= 101_000; offset++) {
            window.complete(window.add(offset, 0), 0);
        }
        assertThat(window.capacity()).isEqualTo(grown);
        assertThat(window.incomplete()).isEqualTo(stillIncomplete.size());
    }

    @Test
    void shrinksToItsFirstSizeWhenTheWindowEmpties() {
        OffsetWindow window = new OffsetWindow();
        long blocking = window.add(0, 0);
        for (long offset = 1; offset <= 100_000; offset++) {
            window.complete(window.add(offset, 0), 0);
        }
        int grown = window.capacity();
        window.complete(blocking, 0);
        assertThat(window.capacity()).isLessThan(grown);
        for (long offset = 100_001; offset <= 100_020; offset++) {
            window.complete(window.add(offset, 0), 0);
        }
        assertThat(window.capacity()).isEqualTo(64);
        assertThat(window.commitOffset()).isEqualTo(100_021);
        assertThat(window.incomplete()).isZero();
        long handle = window.add(100_021, 0);
        assertThat(window.commitOffset()).isEqualTo(100_021);
        window.complete(handle, 0);
        assertThat(window.commitOffset()).isEqualTo(100_022);
    }

    static LongStream seeds() {
        return LongStream.range(0, 100);
    }

    /**
     * Property: whatever the order of completions (interleaved with fetches, with holes in the offsets), the window
     * agrees with a plain sorted-set model on the commit offset, the incomplete count, the gaps and the blocking
     * offset, and never commits past an incomplete offset.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void agreesWithModelUnderRandomCompletionOrder(long seed) {
        Random random = new Random(seed);
        OffsetWindow window = new OffsetWindow();
        NavigableSet<Long> incomplete = new TreeSet<>();
        NavigableSet<Long> fetched = new TreeSet<>();
        List<long[]> pending = new ArrayList<>(); // {offset, handle}
        long nextOffset = random.nextInt(1000);
        long highest = -1;
        int steps = 200 + random.nextInt(1000);
        for (int step = 0; step < steps; step++) {
            if (pending.isEmpty() || random.nextInt(100) < 45) {
                int batch = 1 + random.nextInt(20);
                for (int i = 0; i < batch; i++) {
                    nextOffset += random.nextInt(10) == 0 ? 1 + random.nextInt(3) : 0; // holes: compaction, markers
                    long offset = nextOffset++;
                    if (random.nextInt(50) == 0) {
                        window.addCompleted(offset);
                    }
                    else {
                        pending.add(new long[] {offset, window.add(offset, step)});
                        incomplete.add(offset);
                    }
                    fetched.add(offset);
                    highest = offset;
                }
            }
            else {
                long[] done = pending.remove(random.nextInt(pending.size()));
                assertThat(window.complete(done[1], step)).isTrue();
                incomplete.remove(done[0]);
            }
            // offsets below the lowest incomplete one no longer matter to the model
            fetched.headSet(incomplete.isEmpty() ? highest + 1 : incomplete.first(), false).clear();
            long expectedCommit = incomplete.isEmpty() ? highest + 1 : incomplete.first();
            assertThat(window.commitOffset()).isEqualTo(expectedCommit);
            assertThat(window.incomplete()).isEqualTo(incomplete.size());
            assertThat(window.blockingOffset()).isEqualTo(incomplete.isEmpty() ? -1 : incomplete.first());
            assertThat(window.gaps()).isEqualTo(gaps(fetched, incomplete));
            if (!incomplete.isEmpty()) {
                assertThat(window.commitOffset()).isLessThanOrEqualTo(incomplete.first());
            }
        }
    }

    /** Runs of incomplete offsets in fetch order, minus the first one. */
    private static int gaps(NavigableSet<Long> fetched, NavigableSet<Long> incomplete) {
        int runs = incomplete.isEmpty() ? 0 : 1;
        Long previous = null;
        for (long offset : incomplete) {
            // a new run starts where a completed offset lies between two incomplete ones
            if (previous != null && fetched.higher(previous) != offset) {
                runs++;
            }
            previous = offset;
        }
        return Math.max(0, runs - 1);
    }
}
