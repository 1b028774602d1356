package io.parallelconsumer.validation.process;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A JVM the suite started: killed ({@code kill -9}) or stopped ({@code SIGTERM}) by its own process handle only. */
public final class ChildProcess {

    private final String name;
    private final Process process;
    private final Path output;

    ChildProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** Where its standard output and error go. */
    public Path output() {
        return output;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no commit, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** {@code SIGTERM} and waits for the exit; {@code kill -9} if it has not exited in time. Returns the exit code. */
    public int stop(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    /** Waits for it to exit by itself; false if it has not within the timeout. */
    public boolean awaitExit(long timeoutSeconds) throws InterruptedException {
        return process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    }

    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
