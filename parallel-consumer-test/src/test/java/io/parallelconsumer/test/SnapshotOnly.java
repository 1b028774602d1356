package io.parallelconsumer.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.parallelconsumer.ConsumerSnapshot;
import io.parallelconsumer.ConsumerState;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.ParallelConsumerOptions;

/** A consumer that is never run: its snapshot is what the test supplies. */
final class SnapshotOnly implements ParallelConsumer<String, String> {

    private final Supplier<ConsumerSnapshot> snapshot;

    SnapshotOnly(Supplier<ConsumerSnapshot> snapshot) {
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
        throw new UnsupportedOperationException("not needed by the waits");
    }
}
