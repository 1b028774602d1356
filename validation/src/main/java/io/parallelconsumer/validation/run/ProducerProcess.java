package io.parallelconsumer.validation.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.parallelconsumer.validation.process.ChildProcess;
import io.parallelconsumer.validation.process.ChildProcesses;
import io.parallelconsumer.validation.producer.ProducerMain;

/** The producer as its own process (see {@link ProducerMain}). */
public final class ProducerProcess {

    private final ChildProcess process;
    private final Path log;

    private ProducerProcess(ChildProcess process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ProducerProcess start(ChildProcesses processes, Path directory, String bootstrapServers, String topic,
            int rate, long seconds, long maxRecords, int keys, int valueBytes, long seed) throws IOException {
        Path log = directory.resolve("producer.log");
        ChildProcess process = processes.start("producer", "384m", List.of("-XX:+UseG1GC"),
                ProducerMain.class.getName(), List.of(bootstrapServers, topic, Integer.toString(rate),
                        Long.toString(seconds), Integer.toString(keys), Integer.toString(valueBytes),
                        Long.toString(seed), log.toString(), Long.toString(maxRecords)),
                directory.resolve("producer.out"));
        return new ProducerProcess(process, log);
    }

    /** Waits until it has sent for its duration and every record was acknowledged or given up on. */
    public void awaitDone(long timeoutSeconds) throws InterruptedException {
        if (!process.awaitExit(timeoutSeconds)) {
            process.stop(180);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("The producer exited with " + process.exitValue() + "; see "
                    + process.output());
        }
    }

    /** Stops sending ({@code SIGTERM}) and waits until every record sent was acknowledged or given up on. */
    public void stopSending() throws InterruptedException {
        int exit = process.stop(180);
        // 143: the JVM's exit code after a SIGTERM it handled with its shutdown hook.
        if (exit != 0 && exit != 143) {
            throw new IllegalStateException("The producer exited with " + exit + "; see " + process.output());
        }
    }

    public Path log() {
        return log;
    }

    public ChildProcess process() {
        return process;
    }
}
