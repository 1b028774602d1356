package io.parallelconsumer.internal.work;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures skip the retries: by type anywhere in the cause chain, or by predicate. */
class NotRetryableTest {

    @Test
    void nothingListedRetriesEverything() {
        assertThat(new NotRetryable(List.of(), List.of()).test(new IllegalArgumentException())).isFalse();
    }

    @Test
    void aListedTypeOrASubtypeIsFoundAnywhereInTheCauseChain() {
        NotRetryable notRetryable = new NotRetryable(List.of(IllegalArgumentException.class), List.of());

        assertThat(notRetryable.test(new NumberFormatException("a subtype"))).isTrue();
        assertThat(notRetryable.test(new CompletionException(new RuntimeException(new IllegalArgumentException()))))
                .isTrue();
        assertThat(notRetryable.test(new IllegalStateException("another type"))).isFalse();
    }

    @Test
    void aPredicateSeesTheFailureAsItArrived() {
        NotRetryable notRetryable = new NotRetryable(List.of(),
                List.of(failure -> failure instanceof UncheckedIOException));

        assertThat(notRetryable.test(new UncheckedIOException("disk", new IOException()))).isTrue();
        assertThat(notRetryable.test(new CompletionException(new UncheckedIOException("disk",
                new IOException())))).isFalse();
    }

    @Test
    void aCauseChainWithACycleEnds() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException second = new IllegalStateException("second", first);
        first.initCause(second);

        assertThat(new NotRetryable(List.of(IllegalArgumentException.class), List.of()).test(first)).isFalse();
    }
}
