package io.parallelconsumer.validation.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts JVMs on this JVM's class path and remembers every one, so that none outlives the suite: {@link #close} (also
 * run by a shutdown hook) kills what is still running, by its own process handle, never by name.
 */
public final class ChildProcesses implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);

    private final List<ChildProcess> started = new CopyOnWriteArrayList<>();
    private final Thread hook = new Thread(this::killAll, "validation-kill-children");

    public ChildProcesses() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts {@code mainClass} with the heap and the arguments; its output is appended to {@code output}.
     * @param name how the suite's log and results name it
     */
    public ChildProcess start(String name, String heap, List<String> jvmOptions, String mainClass, List<String> args,
            Path output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        ChildProcess child = new ChildProcess(name, process, output);
        started.add(child);
        log.debug("Started {}: {}", child, command);
        return child;
    }

    /** Every process started, alive or not. */
    public List<ChildProcess> started() {
        return List.copyOf(started);
    }

    private void killAll() {
        for (ChildProcess child : started) {
            if (child.isAlive()) {
                try {
                    child.kill();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
