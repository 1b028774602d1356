package io.parallelconsumer.internal.work;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the run-time estimate tells slow records from fast ones, and from fast ones that lost their core once. */
class RunTimeEstimateTest {

    private static final long MICROS = TimeUnit.MICROSECONDS.toNanos(1);

    private final RunTimeEstimate estimate = new RunTimeEstimate(WorkTuning.DEFAULTS);
    private long now = 1_000_000;

    private void completed(long runNanos, int times) {
        for (int i = 0; i < times; i++) {
            now += runNanos;
            estimate.completed(runNanos, now);
        }
    }

    @Test
    void theFirstRecordAloneTellsThatRecordsAreSlow() {
        completed(5_000 * MICROS, 1);

        assertThat(estimate.slow()).isTrue();
        assertThat(estimate.batchLimit()).isEqualTo(1);
    }

    @Test
    void aLoneFastRecordThatRanLongDoesNotMakeFastRecordsSlow() {
        completed(2 * MICROS, 20);

        completed(2_000 * MICROS, 1);
        assertThat(estimate.slow()).as("one record of 2 ms among records of 2 us: its thread lost its core").isFalse();
        assertThat(estimate.inMemory()).isTrue();

        completed(2 * MICROS, 3);
        completed(3_000 * MICROS, 1);
        assertThat(estimate.slow()).as("another, a few records later").isFalse();
        assertThat(estimate.batchLimit()).as("fast records are still handed out in batches").isGreaterThan(1);
    }

    @Test
    void recordsThatTurnSlowAreSlowFromTheirSecondRunOn() {
        completed(2 * MICROS, 20);

        completed(5_000 * MICROS, 1);
        assertThat(estimate.slow()).isFalse();
        completed(5_000 * MICROS, 1);
        assertThat(estimate.slow()).isTrue();
    }

    @Test
    void slowRecordsStaySlowThroughALoneFastOne() {
        completed(5_000 * MICROS, 20);

        completed(MICROS, 1);
        assertThat(estimate.slow()).as("a record that returned at once, an early exit of the handler, say").isTrue();
        completed(5_000 * MICROS, 1);
        assertThat(estimate.slow()).isTrue();
    }

    @Test
    void inMemoryRecordsStayInMemoryWhileABusyMachineSlowsThemDown() {
        assertThat(estimate.inMemory()).as("nothing known yet").isFalse();
        completed(2 * MICROS, 20);
        assertThat(estimate.inMemory()).isTrue();

        completed(12 * MICROS, 40);
        assertThat(estimate.inMemory()).as("six times slower, every record: threads taking turns for the cores")
                .isTrue();
    }

    @Test
    void recordsThatTurnToWaitingOnIoLeaveMemory() {
        completed(2 * MICROS, 20);

        completed(50 * MICROS, 40);
        assertThat(estimate.inMemory()).as("a network call each").isFalse();
        completed(8 * MICROS, 40);
        assertThat(estimate.inMemory()).as("not back in memory above " + WorkTuning.DEFAULTS.inMemoryNanos() + " ns")
                .isFalse();
    }

    @Test
    void recordsOfAFewMicrosecondsAreNotInMemoryUntilTheyWereFasterOnce() {
        completed(12 * MICROS, 40);

        assertThat(estimate.inMemory()).isFalse();
    }

    @Test
    void untimedCompletionsLeaveTheEstimateAlone() {
        completed(2 * MICROS, 20);

        estimate.completed(-1, now);
        estimate.completed(-1, now);
        completed(5_000 * MICROS, 1);
        assertThat(estimate.slow()).as("untimed completions are no samples: one slow record is still alone").isFalse();
    }
}
