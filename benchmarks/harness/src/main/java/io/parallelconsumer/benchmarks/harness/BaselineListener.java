package io.parallelconsumer.benchmarks.harness;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/** The baseline: Spring Kafka's own listener container, one consumer thread per partition. */
class BaselineListener {

    private final SimulatedWork work;
    private final RunRecorder recorder;

    BaselineListener(SimulatedWork work, RunRecorder recorder) {
        this.work = work;
        this.recorder = recorder;
    }

    @KafkaListener(id = "baseline", topics = "${harness.topic}", groupId = "${harness.group}",
            concurrency = "${harness.partitions}")
    void on(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        work.perform();
        recorder.processed(record);
    }
}
