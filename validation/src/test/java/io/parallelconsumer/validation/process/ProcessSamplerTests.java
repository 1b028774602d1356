package io.parallelconsumer.validation.process;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reading a process's CPU time and memory from /proc, by its id. */
@EnabledOnOs(OS.LINUX)
class ProcessSamplerTests {

    @Test
    void readsThisProcessesCpuTicksAndResidentMemory() {
        long[] read = ProcessSampler.read(ProcessHandle.current().pid());

        assertThat(read).isNotNull();
        assertThat(read[0]).isPositive();
        // A JVM running tests holds more than 16 MB.
        assertThat(read[1]).isGreaterThan(16 * 1024);
    }

    @Test
    void aProcessThatIsGoneReadsAsNothing() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor(10, TimeUnit.SECONDS);

        assertThat(ProcessSampler.read(process.pid())).isNull();
    }

    @Test
    void sumsUpAWatchedProcess() {
        try (ProcessSampler sampler = new ProcessSampler().watch("self", ProcessHandle.current().pid()).start()) {
            await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> sampler.usage().get(0).rssPeakMb() > 16);
            ProcessUsage usage = sampler.usage().get(0);
            assertThat(usage.process()).isEqualTo("self");
            assertThat(usage.rssAverageMb()).isPositive().isLessThanOrEqualTo(usage.rssPeakMb());
            assertThat(usage.cpuAveragePercent()).isLessThanOrEqualTo(usage.cpuPeakPercent());
        }
    }
}
