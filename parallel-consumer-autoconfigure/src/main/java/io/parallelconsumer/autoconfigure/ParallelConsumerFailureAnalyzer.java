package io.parallelconsumer.autoconfigure;

import io.parallelconsumer.spring.listener.ParallelListenerConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a listener or property that cannot work as Spring Boot's "APPLICATION FAILED TO START" description and
 * action, instead of a bean creation stack trace.
 */
class ParallelConsumerFailureAnalyzer extends AbstractFailureAnalyzer<ParallelListenerConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ParallelListenerConfigurationException cause) {
        return new FailureAnalysis(cause.getDescription(), cause.getAction(), cause);
    }
}
