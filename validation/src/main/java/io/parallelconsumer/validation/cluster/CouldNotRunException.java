package io.parallelconsumer.validation.cluster;

/**
 * The suite could not set up what a test needs (a broker that does not start, a topic that cannot be created): the
 * test's result is "could not run", never "lost".
 */
public class CouldNotRunException extends RuntimeException {

    public CouldNotRunException(String message) {
        super(message);
    }

    public CouldNotRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
