package io.parallelconsumer.validation.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * An append-only file of tab-separated lines, each handed to the operating system in one write before
 * {@link #append} returns: a process killed with {@code kill -9} right after loses none of them (the page cache
 * outlives the process), so a record a consumer logged as processed counts even when its process is killed before
 * committing it. Not fsynced: the suite kills processes, not the machine.
 */
public final class DurableLog implements AutoCloseable {

    private final FileOutputStream out;

    public DurableLog(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.out = new FileOutputStream(file.toFile(), true);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot open " + file + " for appending", ex);
        }
    }

    /** Appends one line made of the fields, tab-separated. */
    public void append(Object... fields) {
        StringBuilder line = new StringBuilder(96);
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.append('\t');
            }
            line.append(fields[i]);
        }
        byte[] bytes = line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            try {
                out.write(bytes);
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot append to the log", ex);
            }
        }
    }

    /** Wall-clock time in microseconds since the epoch: every process of the suite runs on one machine's clock. */
    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    @Override
    public void close() {
        try {
            out.close();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
