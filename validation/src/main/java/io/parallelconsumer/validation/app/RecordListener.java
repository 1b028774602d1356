package io.parallelconsumer.validation.app;

import io.parallelconsumer.Ordering;
import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.validation.log.DurableLog;
import io.parallelconsumer.validation.log.LogLine;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.stereotype.Component;

/**
 * The listener: does the record's work, then logs it. KEY ordering, since the suite checks each key's order;
 * concurrency, the engine and the rest come from {@code parallel-consumer.*}, as they would in an application.
 */
@Component
class RecordListener {

    private final ValidationProperties properties;
    private final ProcessedRecords processed;

    RecordListener(ValidationProperties properties, ProcessedRecords processed) {
        this.properties = properties;
        this.processed = processed;
    }

    @ParallelListener(id = "validation", topics = "${validation.topic}", groupId = "${validation.group}",
            ordering = Ordering.KEY)
    void on(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        long start = DurableLog.nowMicros();
        long sequence = ProcessedRecords.header(record, LogLine.SEQUENCE_HEADER);
        if (properties.holds(record.key(), sequence)) {
            processed.holding(record, sequence);
            // Interrupted when the listener stops: the record is then not done and must not be logged as done.
            Thread.sleep(properties.holdFor().toMillis());
        }
        if (!properties.work().isZero()) {
            Thread.sleep(properties.work().toMillis(), properties.work().toNanosPart() % 1_000_000);
        }
        processed.processed(record, sequence, start);
    }
}
