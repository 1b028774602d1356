package io.parallelconsumer.test.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The backoff schedule, with the waits recorded instead of slept. */
class BrokerConnectivityTest {

    private final List<Duration> waited = new ArrayList<>();
    private final BrokerConnectivity.Sleeper recorder = waited::add;

    @Test
    void theDefaultScheduleStartsAtTwoSecondsAndGrowsByHalf() {
        ConnectBackoff backoff = ConnectBackoff.DEFAULT;

        assertThat(List.of(1, 2, 3, 4, 5)).map(backoff::delayBefore).containsExactly(Duration.ZERO,
                Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMillis(4500), Duration.ofMillis(6750));
    }

    @Test
    void aClusterThatAnswersOnTheThirdTryIsReachedAfterTwoWaits() throws InterruptedException {
        AtomicInteger tries = new AtomicInteger();

        BrokerConnectivity.Outcome outcome = BrokerConnectivity.await(() -> {
            if (tries.incrementAndGet() < 3) {
                throw new IllegalStateException("no controller yet");
            }
        }, ConnectBackoff.DEFAULT, recorder);

        assertThat(outcome).isEqualTo(new BrokerConnectivity.Outcome(true, 3, null));
        assertThat(waited).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Test
    void aClusterThatNeverAnswersUsesUpTheTriesAndSaysWhatWentWrongLast() throws InterruptedException {
        AtomicInteger tries = new AtomicInteger();
        ConnectBackoff backoff = new ConnectBackoff(Duration.ofMillis(100), 2, 4);

        BrokerConnectivity.Outcome outcome = BrokerConnectivity.await(() -> {
            throw new IllegalStateException("refused " + tries.incrementAndGet());
        }, backoff, recorder);

        assertThat(outcome.reached()).isFalse();
        assertThat(outcome.tries()).isEqualTo(4);
        assertThat(outcome.lastFailure()).hasMessage("refused 4");
        assertThat(waited).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void oneTryMeansNoWait() throws InterruptedException {
        BrokerConnectivity.Outcome outcome = BrokerConnectivity.await(() -> {
            throw new IllegalStateException("down");
        }, new ConnectBackoff(Duration.ofSeconds(2), 1.5, 1), recorder);

        assertThat(outcome.tries()).isEqualTo(1);
        assertThat(waited).isEmpty();
    }

    @Test
    void aScheduleThatCannotEndOrShrinksIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ConnectBackoff(Duration.ofSeconds(1), 0.5, 3))
                .withMessageContaining("multiplier");
        assertThatIllegalArgumentException().isThrownBy(() -> new ConnectBackoff(Duration.ofSeconds(-1), 1.5, 3))
                .withMessageContaining("initialDelay");
        assertThatIllegalArgumentException().isThrownBy(() -> new ConnectBackoff(Duration.ofSeconds(1), 1.5, 0))
                .withMessageContaining("maxTries");
    }
}
