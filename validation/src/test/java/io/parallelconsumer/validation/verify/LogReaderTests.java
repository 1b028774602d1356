package io.parallelconsumer.validation.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.parallelconsumer.validation.log.DurableLog;
import io.parallelconsumer.validation.log.LogLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The logs as the producer and the consumer processes write them, read back. */
class LogReaderTests {

    @TempDir
    Path directory;

    @Test
    void readsAcknowledgementsAndGivenUpRecords() throws IOException {
        Path file = directory.resolve("producer.log");
        try (DurableLog log = new DurableLog(file)) {
            log.append(LogLine.ACKED, 3, 17, "k5", 2, 1000, 1500);
            log.append(LogLine.FAILED, "k6", 0, 1100, "org.apache.kafka.common.errors.TimeoutException");
        }

        assertThat(LogReader.acks(file)).containsExactly(new Ack(3, 17, "k5", 2, 1000, 1500));
        assertThat(LogReader.failedSends(file)).isEqualTo(1);
    }

    @Test
    void readsEachProcessFileAsItsInstanceAndSkipsALineCutShort() throws IOException {
        Path group = directory.resolve("g1");
        try (DurableLog a = new DurableLog(group.resolve("a-1.log"));
                DurableLog b = new DurableLog(group.resolve("b-1.log"))) {
            a.append(LogLine.STARTED, "a-1", 42, 10, 20);
            a.append(LogLine.PROCESSED, 0, 5, "k1", 7, 100, 200, 300);
            b.append(LogLine.PROCESSED, 1, 6, "k2", 8, 110, 210, 310);
        }
        // What a process killed in the middle of writing a line would leave.
        Files.writeString(group.resolve("b-1.log"), "P\t1\t7\tk2\t9\t120\t220", StandardOpenOption.APPEND);

        assertThat(LogReader.processings(group)).containsExactly(
                new Processed("a-1", 0, 5, "k1", 7, 100, 200, 300),
                new Processed("b-1", 1, 6, "k2", 8, 110, 210, 310));
        assertThat(LogReader.started(group.resolve("a-1.log"))).containsExactly(10, 20);
    }
}
