package io.parallelconsumer.spring.endpoint;

import org.springframework.core.convert.converter.Converter;

/**
 * Reads the {@code action} of a {@code parallelconsumers} request in any case. An unknown name becomes
 * {@code null} rather than a conversion failure, so that the operation answers 400 with the actions that exist
 * instead of Actuator's bare "Parameter mapping failure".
 */
public class ListenerActionConverter implements Converter<String, ListenerAction> {

    @Override
    public ListenerAction convert(String source) {
        return ListenerAction.parse(source);
    }
}
