package io.parallelconsumer.validation;

import java.util.Collection;

/** A test's outcome, as the results and the exit code give it. */
public final class Status {

    public static final String PASSED = "passed";
    public static final String FAILED = "failed";
    /** The suite could not set the test up (brokers, topics): nothing is known about what it tests. */
    public static final String COULD_NOT_RUN = "could not run";

    private Status() {
    }

    /** The status an exit code stands for. */
    public static String statusOf(int exitCode) {
        return switch (exitCode) {
            case 0 -> PASSED;
            case 2 -> COULD_NOT_RUN;
            default -> FAILED;
        };
    }

    /** 0 when every test passed, 1 when one failed, 2 when none failed but one could not run. */
    public static int exitCode(Collection<String> statuses) {
        if (statuses.contains(FAILED)) {
            return 1;
        }
        return statuses.contains(COULD_NOT_RUN) ? 2 : 0;
    }
}
