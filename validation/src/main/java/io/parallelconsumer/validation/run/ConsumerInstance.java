package io.parallelconsumer.validation.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.parallelconsumer.validation.app.ValidationApplication;
import io.parallelconsumer.validation.cluster.CouldNotRunException;
import io.parallelconsumer.validation.process.ChildProcess;
import io.parallelconsumer.validation.process.ChildProcesses;
import io.parallelconsumer.validation.verify.LogReader;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One consumer instance of a group: the validation application as its own process. Each start is a new process
 * with a name of its own ({@code a-1}, {@code a-2}...) and a log of its own, so that the verifier knows which
 * process did what.
 */
public final class ConsumerInstance {

    private static final Duration READY = Duration.ofSeconds(90);

    private final ChildProcesses processes;
    private final String name;
    private final String group;
    private final Path groupDirectory;
    private final List<String> arguments;
    private int starts;
    private ChildProcess process;
    private String incarnation;

    ConsumerInstance(ChildProcesses processes, String name, String group, Path groupDirectory,
            List<String> arguments) {
        this.processes = processes;
        this.name = name;
        this.group = group;
        this.groupDirectory = groupDirectory;
        this.arguments = arguments;
    }

    /** Starts a new process of this instance and waits until its listener runs. */
    public ConsumerInstance start(Map<String, String> extraProperties) throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(incarnation + " is still running");
        }
        incarnation = name + "-" + ++starts;
        Path log = log();
        List<String> args = new ArrayList<>(arguments);
        args.add("--validation.instance=" + incarnation);
        args.add("--validation.log=" + log);
        extraProperties.forEach((key, value) -> args.add("--" + key + "=" + value));
        process = processes.start(group + "/" + incarnation, "384m", List.of("-XX:+UseG1GC"),
                ValidationApplication.class.getName(), args, groupDirectory.resolve(incarnation + ".out"));
        try {
            Awaitility.await(incarnation + " ready").atMost(READY).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new CouldNotRunException(incarnation + " exited with " + process.exitValue()
                                    + "; see " + process.output());
                        }
                        return Files.exists(log) && LogReader.started(log) != null;
                    });
        }
        catch (ConditionTimeoutException ex) {
            throw new CouldNotRunException(incarnation + " did not start within " + READY + "; see "
                    + process.output(), ex);
        }
        return this;
    }

    public ConsumerInstance start() throws IOException, InterruptedException {
        return start(Map.of());
    }

    /** {@code kill -9} of the running process. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** A graceful stop ({@code SIGTERM}): the listener finishes or gives up within its shutdown timeout and commits. */
    public void stop() throws InterruptedException {
        process.stop(60);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The running (or last) process's name, as its log lines are attributed. */
    public String incarnation() {
        return incarnation;
    }

    public String group() {
        return group;
    }

    public Path log() {
        return groupDirectory.resolve(incarnation + ".log");
    }

    public ChildProcess process() {
        return process;
    }

    /** How many times it was started. */
    public int starts() {
        return starts;
    }
}
