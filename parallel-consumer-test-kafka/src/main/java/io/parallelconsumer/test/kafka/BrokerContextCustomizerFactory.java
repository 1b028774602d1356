package io.parallelconsumer.test.kafka;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Makes the broker's address part of a {@link WithKafka} class's Spring test context: Spring caches application
 * contexts across test classes by their configuration, so without it a class with a broker of its own would be handed
 * an application still connected to another class's broker, perhaps stopped by now. With it, classes on the same
 * broker share their application and classes on different brokers do not.
 */
class BrokerContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        if (!TestContextAnnotationUtils.hasAnnotation(testClass, WithKafka.class)) {
            return null;
        }
        String bootstrapServers = KafkaBrokerExtension.bootstrapServers(testClass)
                .orElseThrow(() -> new IllegalStateException("No Kafka broker is set up yet for " + testClass.getName()
                        + " as Spring builds its test context: declare @WithKafka before @SpringBootTest (and"
                        + " @ExtendWith(KafkaBrokerExtension.class) before @ExtendWith(SpringExtension.class)), so that"
                        + " the broker is found first"));
        return new BrokerAddress(bootstrapServers);
    }

    /**
     * Equal for equal addresses, which is what the context cache compares. Pins the address in the application's
     * environment just above the system properties (the precedence of the system property the extension sets), so a
     * cached application keeps it after the class's end restores the system property.
     */
    private record BrokerAddress(String bootstrapServers) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            MapPropertySource address = new MapPropertySource("withKafkaBroker",
                    Map.of(KafkaBrokerExtension.SPRING_BOOTSTRAP_SERVERS, bootstrapServers));
            MutablePropertySources sources = context.getEnvironment().getPropertySources();
            if (sources.contains(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
                sources.addBefore(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, address);
            }
            else {
                sources.addLast(address);
            }
        }
    }
}
