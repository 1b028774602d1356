package io.parallelconsumer.benchmarks.harness;

import java.util.concurrent.CompletionStage;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.annotation.ParallelListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** {@code @ParallelListener} returning a {@code CompletionStage}: waiting records hold no thread. */
class ParallelAsyncListener {

    private final SimulatedWork work;
    private final RunRecorder recorder;

    ParallelAsyncListener(SimulatedWork work, RunRecorder recorder) {
        this.work = work;
        this.recorder = recorder;
    }

    @ParallelListener(id = "parallel-async", topics = "${harness.topic}", groupId = "${harness.group}",
            ordering = Ordering.KEY, concurrency = "${harness.concurrency}")
    CompletionStage<Void> on(ConsumerRecord<String, byte[]> record) {
        return work.performAsync().thenRun(() -> recorder.processed(record));
    }
}
