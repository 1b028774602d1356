package io.parallelconsumer.spring.listener;

import org.springframework.validation.Errors;

/**
 * A record's payload failed the validation its {@code @Valid} (or {@code @Validated}) parameter asks for. Never
 * retried: the record goes to the failure policy after this one attempt (skipped, or dead-lettered).
 */
public class ListenerValidationException extends RuntimeException {

    private final transient Errors errors;

    public ListenerValidationException(String message, Errors errors) {
        super(message);
        this.errors = errors;
    }

    /** What the validator found. */
    public Errors getErrors() {
        return errors;
    }
}
