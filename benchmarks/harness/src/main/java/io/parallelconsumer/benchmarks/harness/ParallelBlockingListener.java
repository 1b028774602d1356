package io.parallelconsumer.benchmarks.harness;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.annotation.ParallelListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** {@code @ParallelListener} with a blocking method; the engine (platform or virtual) comes from the run. */
class ParallelBlockingListener {

    private final SimulatedWork work;
    private final RunRecorder recorder;

    ParallelBlockingListener(SimulatedWork work, RunRecorder recorder) {
        this.work = work;
        this.recorder = recorder;
    }

    @ParallelListener(id = "parallel", topics = "${harness.topic}", groupId = "${harness.group}",
            ordering = Ordering.KEY, concurrency = "${harness.concurrency}")
    void on(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        work.perform();
        recorder.processed(record);
    }
}
