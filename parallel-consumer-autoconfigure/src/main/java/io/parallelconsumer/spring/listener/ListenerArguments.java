package io.parallelconsumer.spring.listener;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Headers;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.converter.MessagingMessageConverter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.ValueConstants;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * How each parameter of a listener method gets its argument from a record, worked out once at startup: a method
 * either has a shape that can take every record, or it is rejected here with the bean, the method, the parameter
 * and the shapes that are allowed, never at the first record (where a failure would be retried and skipped).
 */
final class ListenerArguments {

    /** The allowed shapes, for error messages and the README. */
    static final String ALLOWED = "A @ParallelListener method gets one record at a time and takes exactly one of "
            + "ConsumerRecord<K, V>, Message<V> (Spring Messaging, with the KafkaHeaders headers) or the value V "
            + "(optionally marked @Payload), plus any number of @Header parameters (KafkaHeaders.RECEIVED_KEY, "
            + "RECEIVED_TOPIC, RECEIVED_PARTITION, OFFSET, RECEIVED_TIMESTAMP, TIMESTAMP_TYPE, NATIVE_HEADERS, or "
            + "the name of a record header as String or byte[]) and an org.apache.kafka.common.header.Headers "
            + "parameter; it returns void or CompletionStage<?>.";

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    private final List<Function<ConsumerRecord<Object, Object>, Object>> resolvers;
    private final ResolvableType keyType;
    private final ResolvableType valueType;
    /** The parameter whose argument is validated ({@code @Valid} or {@code @Validated}), or -1. */
    private final int validated;

    private ListenerArguments(List<Function<ConsumerRecord<Object, Object>, Object>> resolvers,
            ResolvableType keyType, ResolvableType valueType, int validated) {
        this.resolvers = resolvers;
        this.keyType = keyType;
        this.valueType = valueType;
        this.validated = validated;
    }

    /**
     * Works out every parameter of the method.
     * @param where the bean and method, for messages
     * @throws ParallelListenerConfigurationException naming the parameter that cannot be served
     */
    static ListenerArguments of(String where, Method method) {
        List<Function<ConsumerRecord<Object, Object>, Object>> resolvers = new ArrayList<>();
        ResolvableType keyType = null;
        ResolvableType valueType = null;
        String carrier = null;
        int validated = -1;
        for (int i = 0; i < method.getParameterCount(); i++) {
            MethodParameter parameter = new MethodParameter(method, i);
            parameter.initParameterNameDiscovery(NAMES);
            ResolvableType type = ResolvableType.forMethodParameter(parameter);
            Class<?> raw = parameter.getParameterType();
            String name = describe(parameter, type);
            Header header = AnnotatedElementUtils.findMergedAnnotation(parameter.getParameter(), Header.class);
            if (header != null) {
                String headerName = StringUtils.hasText(header.name()) ? header.name() : parameter.getParameterName();
                if (!StringUtils.hasText(headerName)) {
                    throw reject(where, name, "@Header has no name, and the parameter's name is not known (compile "
                            + "with -parameters)", "Give the header's name: @Header(KafkaHeaders.RECEIVED_KEY) or "
                            + "@Header(\"my-header\").");
                }
                if (KafkaHeaders.RECEIVED_KEY.equals(headerName)) {
                    if (raw.isPrimitive()) {
                        throw reject(where, name, "a key cannot be received as a primitive (a record may have no key)",
                                "Use the wrapper type, for example Long instead of long.");
                    }
                    keyType = type;
                }
                resolvers.add(header(where, name, headerName, raw, header));
                continue;
            }
            String unsupported = unsupported(raw, type);
            if (unsupported != null) {
                throw reject(where, name, unsupported, ALLOWED);
            }
            if (Headers.class.isAssignableFrom(raw)) {
                resolvers.add(ConsumerRecord::headers);
                continue;
            }
            if (carrier != null) {
                throw reject(where, name, "both " + carrier + " and " + name + " would receive the record",
                        "Keep one parameter for the record; mark the others @Header, for example "
                                + "@Header(KafkaHeaders.RECEIVED_KEY) String key. " + ALLOWED);
            }
            carrier = name;
            if (isValidated(parameter)) {
                if (ConsumerRecord.class.isAssignableFrom(raw)) {
                    throw reject(where, name, "a ConsumerRecord is not validated, its value is",
                            "Take the value as the parameter, marked @Valid: @Valid @Payload Order order.");
                }
                validated = i;
            }
            if (ConsumerRecord.class.isAssignableFrom(raw)) {
                keyType = type.as(ConsumerRecord.class).getGeneric(0);
                valueType = type.as(ConsumerRecord.class).getGeneric(1);
                resolvers.add(record -> record);
            }
            else if (Message.class.isAssignableFrom(raw)) {
                valueType = type.as(Message.class).getGeneric(0);
                resolvers.add(message(valueType));
            }
            else if (raw.isPrimitive()) {
                throw reject(where, name, "a value cannot be received as a primitive (a tombstone has a null value)",
                        "Use the wrapper type, for example Long instead of long.");
            }
            else {
                valueType = type;
                resolvers.add(ConsumerRecord::value);
            }
        }
        if (carrier == null) {
            throw reject(where, null, "no parameter receives the record", ALLOWED);
        }
        return new ListenerArguments(List.copyOf(resolvers), keyType, valueType, validated);
    }

    /** Jakarta's {@code @Valid} (matched by name: Bean Validation is optional) or Spring's {@code @Validated}. */
    private static boolean isValidated(MethodParameter parameter) {
        for (Annotation annotation : parameter.getParameterAnnotations()) {
            Class<? extends Annotation> type = annotation.annotationType();
            if (type.getName().equals("jakarta.validation.Valid")
                    || AnnotatedElementUtils.isAnnotated(type, Validated.class) || type == Validated.class) {
                return true;
            }
        }
        return false;
    }

    /** Why a parameter of this type cannot be served, or {@code null} if it can. */
    private static String unsupported(Class<?> raw, ResolvableType type) {
        if (ConsumerRecords.class.isAssignableFrom(raw) || Collection.class.isAssignableFrom(raw)
                || Iterable.class.isAssignableFrom(raw) && !Headers.class.isAssignableFrom(raw)) {
            return "it is a batch shape, but a parallel listener gets one record at a time (records of different keys "
                    + "run side by side instead)";
        }
        if (Message.class.isAssignableFrom(raw)) {
            Class<?> payload = type.as(Message.class).getGeneric(0).resolve();
            if (payload != null && (Collection.class.isAssignableFrom(payload)
                    || ConsumerRecords.class.isAssignableFrom(payload))) {
                return "Message<" + payload.getSimpleName() + "> is a batch shape, but a parallel listener gets one "
                        + "record at a time";
            }
        }
        if (Acknowledgment.class.isAssignableFrom(raw)) {
            return "a parallel listener acknowledges a record itself when the method returns (or its stage completes) "
                    + "and commits it once every record before it is done; there is no Acknowledgment to call";
        }
        if (Consumer.class.isAssignableFrom(raw)) {
            return "the Kafka consumer belongs to the listener's poller thread and cannot be used from a handler";
        }
        return null;
    }

    private static Function<ConsumerRecord<Object, Object>, Object> message(ResolvableType payloadType) {
        MessagingMessageConverter converter = new MessagingMessageConverter();
        converter.setGenerateMessageId(false);
        converter.setGenerateTimestamp(false);
        Type type = payloadType.getType();
        return record -> converter.toMessage(record, null, null, type);
    }

    private static Function<ConsumerRecord<Object, Object>, Object> header(String where, String parameter,
            String headerName, Class<?> raw, Header header) {
        switch (headerName) {
            case KafkaHeaders.RECEIVED_KEY:
                return ConsumerRecord::key;
            case KafkaHeaders.RECEIVED_TOPIC:
                requireType(where, parameter, headerName, raw, String.class);
                return ConsumerRecord::topic;
            case KafkaHeaders.RECEIVED_PARTITION:
                requireType(where, parameter, headerName, raw, Integer.class);
                return ConsumerRecord::partition;
            case KafkaHeaders.OFFSET:
                requireType(where, parameter, headerName, raw, Long.class);
                return ConsumerRecord::offset;
            case KafkaHeaders.RECEIVED_TIMESTAMP:
                requireType(where, parameter, headerName, raw, Long.class);
                return ConsumerRecord::timestamp;
            case KafkaHeaders.TIMESTAMP_TYPE:
                requireType(where, parameter, headerName, raw, String.class);
                return record -> record.timestampType().name();
            case KafkaHeaders.NATIVE_HEADERS:
                requireType(where, parameter, headerName, raw, Headers.class);
                return ConsumerRecord::headers;
            default:
                break;
        }
        if (headerName.startsWith(KafkaHeaders.PREFIX)) {
            throw reject(where, parameter, "header " + headerName + " is not one a parallel listener provides",
                    ALLOWED);
        }
        if (raw != String.class && raw != byte[].class) {
            throw reject(where, parameter, "a record header is received as String or byte[], not "
                    + raw.getSimpleName(), "Declare the parameter as String or byte[] and convert it in the method.");
        }
        return recordHeader(parameter, headerName, raw == String.class, header);
    }

    private static Function<ConsumerRecord<Object, Object>, Object> recordHeader(String parameter, String name,
            boolean asString, Header header) {
        String defaultValue = ValueConstants.DEFAULT_NONE.equals(header.defaultValue()) ? null : header.defaultValue();
        boolean required = header.required() && defaultValue == null;
        return record -> {
            org.apache.kafka.common.header.Header last = record.headers().lastHeader(name);
            if (last == null || last.value() == null) {
                if (required) {
                    // The record's own problem, not the listener's: it goes the way of any failing record.
                    throw new MissingHeaderException("Record " + record.topic() + "-" + record.partition() + "@"
                            + record.offset() + " has no header '" + name + "', which " + parameter + " requires; "
                            + "use @Header(name = \"" + name + "\", required = false) to receive null instead");
                }
                if (defaultValue == null) {
                    return null;
                }
                return asString ? defaultValue : defaultValue.getBytes(StandardCharsets.UTF_8);
            }
            return asString ? new String(last.value(), StandardCharsets.UTF_8) : last.value();
        };
    }

    private static void requireType(String where, String parameter, String headerName, Class<?> raw,
            Class<?> provided) {
        if (!ClassUtils.isAssignable(raw, provided)) {
            throw reject(where, parameter, "header " + headerName + " is a " + provided.getSimpleName()
                    + ", which a " + raw.getSimpleName() + " parameter cannot take",
                    "Declare the parameter as " + provided.getSimpleName() + ".");
        }
    }

    private static String describe(MethodParameter parameter, ResolvableType type) {
        String name = parameter.getParameterName();
        return "parameter " + parameter.getParameterIndex() + " (" + type + (name != null ? " " + name : "") + ")";
    }

    private static ParallelListenerConfigurationException reject(String where, String parameter, String why,
            String action) {
        return new ParallelListenerConfigurationException(
                where + (parameter != null ? ": " + parameter : "") + " is not supported: " + why + ".", action);
    }

    /** A record lacks a header that a parameter requires: the record's failure, not the listener's. */
    static final class MissingHeaderException extends IllegalArgumentException {
        MissingHeaderException(String message) {
            super(message);
        }
    }

    /** Resolvers of each argument, in parameter order. */
    List<Function<ConsumerRecord<Object, Object>, Object>> resolvers() {
        return resolvers;
    }

    /** The key type the method needs, or {@code null} when it does not receive the key. */
    ResolvableType keyType() {
        return keyType;
    }

    /** The value type the method needs. */
    /** The index of the argument to validate, or -1. */
    int validated() {
        return validated;
    }

    ResolvableType valueType() {
        return valueType;
    }
}
