package io.parallelconsumer.internal.fetch;

import java.util.Map;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializes with the application's deserializer and keeps the bytes it was given, in a header of the record
 * ({@link OriginalBytes} takes it off before the handler sees the record). The bytes are the array the Kafka consumer
 * hands every deserializer: kept, not copied. Either wraps a deserializer instance, or - as {@link Key} and
 * {@link Value}, named in the consumer properties - creates the one the properties name under
 * {@link #KEY_DELEGATE} and {@link #VALUE_DELEGATE}, as Kafka would have.
 */
public class OriginalBytesDeserializer<T> implements Deserializer<T> {

    /** The consumer property naming the application's key deserializer (a class or a class name). */
    public static final String KEY_DELEGATE = "parallel-consumer.key.deserializer.delegate";
    /** The consumer property naming the application's value deserializer (a class or a class name). */
    public static final String VALUE_DELEGATE = "parallel-consumer.value.deserializer.delegate";

    private final String header;
    private Deserializer<T> delegate;

    private OriginalBytesDeserializer(Deserializer<T> delegate, String header) {
        this.delegate = delegate;
        this.header = header;
    }

    public static <T> Deserializer<T> forKeys(Deserializer<T> delegate) {
        return new OriginalBytesDeserializer<>(delegate, OriginalBytes.KEY_HEADER);
    }

    public static <T> Deserializer<T> forValues(Deserializer<T> delegate) {
        return new OriginalBytesDeserializer<>(delegate, OriginalBytes.VALUE_HEADER);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (delegate == null) {
            delegate = create(configs.get(isKey ? KEY_DELEGATE : VALUE_DELEGATE), isKey);
        }
        delegate.configure(configs, isKey);
    }

    @SuppressWarnings("unchecked")
    private Deserializer<T> create(Object type, boolean isKey) {
        String which = isKey ? "key" : "value";
        String property = isKey ? KEY_DELEGATE : VALUE_DELEGATE;
        try {
            Class<?> clazz = type instanceof Class<?> given ? given
                    : type instanceof String name && !name.isBlank() ? Class.forName(name.trim(), true, classLoader())
                    : null;
            if (clazz == null || !Deserializer.class.isAssignableFrom(clazz)) {
                throw new KafkaException("No " + which + " deserializer to delegate to: " + property
                        + " must name a Deserializer class, but was " + type);
            }
            return (Deserializer<T>) clazz.getDeclaredConstructor().newInstance();
        }
        catch (ClassNotFoundException ex) {
            throw new KafkaException("The " + which + " deserializer " + type + " named by " + property
                    + " is not on the class path", ex);
        }
        catch (ReflectiveOperationException ex) {
            throw new KafkaException("Could not create the " + which + " deserializer " + type + " named by "
                    + property + ": it needs a public constructor without arguments", ex);
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : OriginalBytesDeserializer.class.getClassLoader();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return delegate.deserialize(topic, data);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        if (data != null) {
            headers.add(header, data);
        }
        return delegate.deserialize(topic, headers, data);
    }

    @Override
    public void close() {
        if (delegate != null) {
            delegate.close();
        }
    }

    /** Named as {@code key.deserializer}: creates the key deserializer {@link #KEY_DELEGATE} names. */
    public static final class Key<T> extends OriginalBytesDeserializer<T> {

        public Key() {
            super(null, OriginalBytes.KEY_HEADER);
        }
    }

    /** Named as {@code value.deserializer}: creates the value deserializer {@link #VALUE_DELEGATE} names. */
    public static final class Value<T> extends OriginalBytesDeserializer<T> {

        public Value() {
            super(null, OriginalBytes.VALUE_HEADER);
        }
    }
}
