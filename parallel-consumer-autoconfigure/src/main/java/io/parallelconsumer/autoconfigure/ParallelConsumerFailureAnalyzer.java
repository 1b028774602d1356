package io.parallelconsumer.autoconfigure;

import java.util.stream.Collectors;

import io.parallelconsumer.spring.listener.ParallelListenerConfigurationException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.validation.ObjectError;

/**
 * Reports a listener or a {@code parallel-consumer.*} setting that cannot work as Spring Boot's "APPLICATION FAILED
 * TO START" description and action, instead of a bean creation stack trace. Ahead of Boot's own analyzers, whose
 * report of a failed validation names the class and error codes rather than the properties.
 */
class ParallelConsumerFailureAnalyzer extends AbstractFailureAnalyzer<Throwable> implements Ordered {

    static final String ACTION = "Correct the properties named above in your application's configuration.";

    @Override
    protected FailureAnalysis analyze(Throwable failure, Throwable cause) {
        ParallelListenerConfigurationException listener =
                findCause(failure, ParallelListenerConfigurationException.class);
        if (listener != null) {
            return new FailureAnalysis(listener.getDescription(), listener.getAction(), listener);
        }
        BindValidationException validation = findCause(failure, BindValidationException.class);
        if (validation != null
                && validation.getValidationErrors().getName().toString().startsWith(ParallelConsumerProperties.PREFIX)) {
            String problems = validation.getValidationErrors().getAllErrors().stream()
                    .map(ObjectError::getDefaultMessage).collect(Collectors.joining("\n - "));
            return new FailureAnalysis("Invalid parallel consumer properties:\n - " + problems, ACTION, validation);
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
