package io.parallelconsumer.spring.listener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.parallelconsumer.AsyncRecordHandler;
import io.parallelconsumer.RecordHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.util.ReflectionUtils;

/**
 * Turns a listener method into the core's handler: it passes the whole {@link ConsumerRecord}, or the value with
 * any {@link Header @Header} parameters Spring Kafka users know, and treats a {@code CompletionStage} return as an
 * asynchronous handler. The consumer only sees the handler.
 */
public final class ListenerMethodAdapter {

    static final String SUPPORTED_SHAPES = "either one ConsumerRecord<K, V> parameter, or the value V plus any "
            + "@Header parameters (KafkaHeaders.RECEIVED_KEY, RECEIVED_TOPIC, RECEIVED_PARTITION, OFFSET, "
            + "RECEIVED_TIMESTAMP, NATIVE_HEADERS, or the name of a record header as byte[] or String) and an "
            + "optional org.apache.kafka.common.header.Headers parameter; and returns void or CompletionStage<?>";

    private final Object bean;
    private final Method method;
    private final List<Function<ConsumerRecord<Object, Object>, Object>> arguments;
    private final boolean async;

    private ListenerMethodAdapter(Object bean, Method method,
            List<Function<ConsumerRecord<Object, Object>, Object>> arguments, boolean async) {
        this.bean = bean;
        this.method = method;
        this.arguments = arguments;
        this.async = async;
    }

    /**
     * Checks the method's shape and adapts it.
     * @throws IllegalStateException naming the method and the supported shapes, if the shape is not supported
     */
    public static ListenerMethodAdapter of(Object bean, Method method) {
        Class<?> returnType = method.getReturnType();
        boolean async = CompletionStage.class.isAssignableFrom(returnType);
        List<Function<ConsumerRecord<Object, Object>, Object>> arguments = arguments(method);
        if (arguments == null || !(async || returnType == void.class)) {
            throw new IllegalStateException("@ParallelListener method " + method.toGenericString()
                    + " has an unsupported shape; a listener method takes " + SUPPORTED_SHAPES);
        }
        ReflectionUtils.makeAccessible(method);
        return new ListenerMethodAdapter(bean, method, arguments, async);
    }

    /** How to get each argument from a record, or {@code null} if the parameters are not a supported shape. */
    private static List<Function<ConsumerRecord<Object, Object>, Object>> arguments(Method method) {
        Parameter[] parameters = method.getParameters();
        if (parameters.length == 1 && ConsumerRecord.class.isAssignableFrom(parameters[0].getType())) {
            return List.of(record -> record);
        }
        List<Function<ConsumerRecord<Object, Object>, Object>> arguments = new ArrayList<>();
        int payloads = 0;
        for (Parameter parameter : parameters) {
            Header header = AnnotatedElementUtils.findMergedAnnotation(parameter, Header.class);
            if (header != null) {
                Function<ConsumerRecord<Object, Object>, Object> resolver = header(header.name(), parameter.getType());
                if (resolver == null) {
                    return null;
                }
                arguments.add(resolver);
            }
            else if (Headers.class.isAssignableFrom(parameter.getType())) {
                arguments.add(ConsumerRecord::headers);
            }
            else if (ConsumerRecord.class.isAssignableFrom(parameter.getType())) {
                return null;
            }
            else {
                payloads++;
                arguments.add(ConsumerRecord::value);
            }
        }
        return payloads == 1 ? arguments : null;
    }

    private static Function<ConsumerRecord<Object, Object>, Object> header(String name, Class<?> type) {
        return switch (name) {
            case KafkaHeaders.RECEIVED_KEY -> ConsumerRecord::key;
            case KafkaHeaders.RECEIVED_TOPIC -> ConsumerRecord::topic;
            case KafkaHeaders.RECEIVED_PARTITION -> ConsumerRecord::partition;
            case KafkaHeaders.OFFSET -> ConsumerRecord::offset;
            case KafkaHeaders.RECEIVED_TIMESTAMP -> ConsumerRecord::timestamp;
            case KafkaHeaders.NATIVE_HEADERS -> ConsumerRecord::headers;
            default -> {
                if (type != byte[].class && type != String.class) {
                    yield null;
                }
                yield record -> {
                    org.apache.kafka.common.header.Header last = record.headers().lastHeader(name);
                    if (last == null || last.value() == null) {
                        return null;
                    }
                    return type == String.class ? new String(last.value(), StandardCharsets.UTF_8) : last.value();
                };
            }
        };
    }

    public boolean isAsync() {
        return async;
    }

    public RecordHandler<Object, Object> handler() {
        return this::invoke;
    }

    public AsyncRecordHandler<Object, Object> asyncHandler() {
        return record -> {
            try {
                return (CompletionStage<?>) invoke(record);
            }
            catch (RuntimeException ex) {
                throw ex;
            }
            catch (Exception ex) {
                throw new ListenerExecutionException(method, ex);
            }
        };
    }

    private Object invoke(ConsumerRecord<Object, Object> record) throws Exception {
        try {
            Object[] args = new Object[arguments.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = arguments.get(i).apply(record);
            }
            return method.invoke(bean, args);
        }
        catch (InvocationTargetException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw ex;
        }
    }

    @Override
    public String toString() {
        return method.toGenericString();
    }

    /** A checked exception thrown by an asynchronous listener method before it returned its stage. */
    static final class ListenerExecutionException extends RuntimeException {
        ListenerExecutionException(Method method, Exception cause) {
            super("Listener method " + method.getName() + " threw", cause);
        }
    }
}
