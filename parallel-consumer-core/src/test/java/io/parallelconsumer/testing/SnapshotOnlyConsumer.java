package io.parallelconsumer.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.ParallelConsumerOptions;

/**
 * A consumer that is never run: its snapshot (and the state in it) is what the test supplies, for code that only reads
 * consumers, such as meters and waits.
 */
public final class SnapshotOnlyConsumer implements ParallelConsumer<String, String> {

    private final Supplier<ConsumerSnapshot> snapshot;

    public SnapshotOnlyConsumer(Supplier<ConsumerSnapshot> snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public ConsumerSnapshot snapshot() {
        return snapshot.get();
    }

    @Override
    public ConsumerState state() {
        return snapshot.get().state();
    }

    @Override
    public void start() {
    }

    @Override
    public void close(Duration timeout) {
    }

    @Override
    public void close() {
    }

    @Override
    public void pause() {
    }

    @Override
    public void resume() {
    }

    @Override
    public CompletionStage<ConsumerState> termination() {
        return new CompletableFuture<>();
    }

    @Override
    public ParallelConsumerOptions<String, String> options() {
        throw new UnsupportedOperationException("a consumer that is never run has no options");
    }
}
