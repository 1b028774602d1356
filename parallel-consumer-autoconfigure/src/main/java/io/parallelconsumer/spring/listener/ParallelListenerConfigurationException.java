package io.parallelconsumer.spring.listener;

/**
 * A {@code @ParallelListener} or a {@code parallel-consumer.*} setting that cannot work, found at startup. It says
 * what is wrong and what to do separately, so that Spring Boot's failure report shows both (see
 * {@code ParallelConsumerFailureAnalyzer}); the message holds both for any other reader.
 */
public class ParallelListenerConfigurationException extends IllegalStateException {

    private final String description;
    private final String action;

    /**
     * @param description what is wrong, naming the bean, method, parameter, attribute or property
     * @param action what to change
     */
    public ParallelListenerConfigurationException(String description, String action) {
        this(description, action, null);
    }

    public ParallelListenerConfigurationException(String description, String action, Throwable cause) {
        super(description + "\nAction: " + action, cause);
        this.description = description;
        this.action = action;
    }

    /** What is wrong. */
    public String getDescription() {
        return description;
    }

    /** What to change. */
    public String getAction() {
        return action;
    }
}
