package io.parallelconsumer.spring.listener;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.core.ResolvableType;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.ClassUtils;

/**
 * What the key and value deserializers of a {@link ConsumerFactory} produce, where their declaration says so
 * ({@code StringDeserializer} produces {@code String}; a JSON or Avro deserializer declares {@code Object} and is
 * not known), so that a listener method whose parameter cannot take that type is rejected at startup. An
 * {@link ErrorHandlingDeserializer} is looked through to its delegate.
 */
final class DeserializerTypes {

    private DeserializerTypes() {
    }

    /** What the key deserializer produces, or {@code null} if not known. */
    static Class<?> key(ConsumerFactory<?, ?> factory) {
        return produced(factory.getKeyDeserializer(), factory.getConfigurationProperties(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.KEY_DESERIALIZER_CLASS);
    }

    /** What the value deserializer produces, or {@code null} if not known. */
    static Class<?> value(ConsumerFactory<?, ?> factory) {
        return produced(factory.getValueDeserializer(), factory.getConfigurationProperties(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS);
    }

    /**
     * Whether a parameter declared as {@code required} can ever receive what the deserializer produces: one must
     * be assignable to the other (a narrower parameter may still fit every value a wider type produces).
     */
    static boolean compatible(ResolvableType required, Class<?> produced) {
        Class<?> parameter = required == null ? null : required.resolve();
        if (parameter == null || produced == null || parameter == Object.class) {
            return true;
        }
        return ClassUtils.isAssignable(parameter, produced) || ClassUtils.isAssignable(produced, parameter);
    }

    private static Class<?> produced(Deserializer<?> instance, Map<String, Object> config, String classProperty,
            String delegateProperty) {
        Class<?> type = instance != null ? instance.getClass() : type(config.get(classProperty));
        if (type != null && ErrorHandlingDeserializer.class.isAssignableFrom(type)) {
            type = instance != null ? null : type(config.get(delegateProperty));
        }
        if (type == null) {
            return null;
        }
        Class<?> produced = ResolvableType.forClass(type).as(Deserializer.class).getGeneric(0).resolve();
        return produced == Object.class ? null : produced;
    }

    private static Class<?> type(Object configured) {
        if (configured instanceof Class<?> type) {
            return type;
        }
        if (configured instanceof String name && !name.isBlank()) {
            try {
                return ClassUtils.forName(name.trim(), DeserializerTypes.class.getClassLoader());
            }
            catch (ClassNotFoundException | LinkageError ex) {
                return null; // the Kafka consumer reports a class it cannot load, when it is created
            }
        }
        return null;
    }
}
