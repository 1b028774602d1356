package io.parallelconsumer;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import io.parallelconsumer.internal.engine.VirtualThreads;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Configuration is checked when the consumer is built, with messages that say what to change. */
class ParallelConsumerBuilderTest {

    private static ParallelConsumerBuilder<String, String> valid() {
        return ParallelConsumer.<String, String>builder()
                .consumerProperties(Map.of("bootstrap.servers", "localhost:9092", "group.id", "g",
                        "key.deserializer", StringDeserializer.class, "value.deserializer", StringDeserializer.class))
                .topics("t")
                .handler(record -> { });
    }

    @Test
    void defaultsAreSensible() {
        ParallelConsumerOptions<String, String> options = valid().options();
        assertThat(options.ordering()).isEqualTo(Ordering.KEY);
        assertThat(options.concurrency()).isEqualTo(16);
        assertThat(options.maxInFlight()).isEqualTo(1000);
        assertThat(options.resumeRatio()).isEqualTo(0.7);
        assertThat(options.name()).isEqualTo("g");
        assertThat(options.consumerProperties()).containsEntry("enable.auto.commit", false)
                .containsEntry("fetch.max.wait.ms", 100);
        assertThat(valid().consumerProperty("fetch.max.wait.ms", 300).options().consumerProperties())
                .containsEntry("fetch.max.wait.ms", 300);
        assertThat(valid().concurrency(256).options().maxInFlight()).isEqualTo(8192);
    }

    @Test
    void rejectsConcurrencyBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().concurrency(0).build())
                .withMessageContaining("concurrency must be at least 1, but was 0");
    }

    @Test
    void rejectsResumeRatioOutsideTheOpenUnitInterval() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().resumeRatio(1.0).build())
                .withMessageContaining("resumeRatio must be within (0, 1)");
        assertThatIllegalArgumentException().isThrownBy(() -> valid().resumeRatio(0).build())
                .withMessageContaining("resumeRatio");
    }

    @Test
    void rejectsAutoCommit() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> valid().consumerProperty("enable.auto.commit", "true").build())
                .withMessageContaining("enable.auto.commit=true is not allowed");
    }

    @Test
    void rejectsMaxInFlightBelowConcurrency() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().concurrency(64).maxInFlight(10).build())
                .withMessageContaining("maxInFlight (10) must be at least concurrency (64)");
    }

    @Test
    void requiresExactlyOneSubscriptionAndOneHandler() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> valid().topicPattern(Pattern.compile("t.*")).build())
                .withMessageContaining("exactly one of topics(...) and topicPattern(...)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> valid().asyncHandler(record -> null).build())
                .withMessageContaining("exactly one of handler(...) and asyncHandler(...)");
    }

    @Test
    void requiresGroupAndBootstrapAndDeserializers() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ParallelConsumer.<String, String>builder().topics("t").handler(r -> { }).build())
                .withMessageContaining("bootstrap.servers is required")
                .withMessageContaining("group.id is required")
                .withMessageContaining("key.deserializer")
                .withMessageContaining("value.deserializer");
    }

    @Test
    void listsEveryProblemAtOnce() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> valid().maxAttempts(0).commitInterval(Duration.ZERO).build())
                .withMessageContaining("maxAttempts must be at least 1")
                .withMessageContaining("commitInterval must be a positive duration");
    }

    @Test
    void virtualEngineNeedsAJvmWithVirtualThreads() {
        assumeThat(VirtualThreads.available()).as("only meaningful on Java 17-20").isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> valid().engine(EngineType.VIRTUAL).build())
                .withMessageContaining("engine VIRTUAL needs Java 21 or later");
    }

    @Test
    void backoffsAreValidatedAndBounded() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 0));
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(1), 0.2);
        for (int attempt = 1; attempt < 20; attempt++) {
            assertThat(backoff.delay(attempt)).isBetween(Duration.ofMillis(80), Duration.ofSeconds(1));
        }
        assertThat(Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(1), 0).delay(3))
                .isEqualTo(Duration.ofMillis(400));
    }
}
