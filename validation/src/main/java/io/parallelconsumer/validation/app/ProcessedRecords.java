package io.parallelconsumer.validation.app;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import io.parallelconsumer.validation.log.DurableLog;
import io.parallelconsumer.validation.log.LogLine;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Appends a line for every record processed, before its handler returns, and one when the application is ready. */
@Component
class ProcessedRecords implements DisposableBean {

    private final DurableLog log;
    private final ValidationProperties properties;

    ProcessedRecords(ValidationProperties properties) {
        this.properties = properties;
        this.log = new DurableLog(properties.log());
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        log.append(LogLine.STARTED, properties.instance(), ProcessHandle.current().pid(),
                ManagementFactory.getRuntimeMXBean().getStartTime() * 1000, DurableLog.nowMicros());
    }

    void processed(ConsumerRecord<String, byte[]> record, long sequence, long startMicros) {
        log.append(LogLine.PROCESSED, record.partition(), record.offset(), record.key(), sequence,
                header(record, LogLine.SENT_HEADER), startMicros, DurableLog.nowMicros());
    }

    void holding(ConsumerRecord<String, byte[]> record, long sequence) {
        log.append(LogLine.SLOW, record.partition(), record.offset(), record.key(), sequence, DurableLog.nowMicros());
    }

    static long header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            throw new IllegalArgumentException("Record " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " has no " + name + " header; only the suite's producer writes this topic");
        }
        return Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII));
    }

    @Override
    public void destroy() {
        log.close();
    }
}
