package io.parallelconsumer.test;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives the applications of {@link ParallelConsumerTest} classes the test defaults, as the last property source:
 * below the application's configuration and the test's own properties, which therefore win.
 */
class TestDefaultsCustomizerFactory implements ContextCustomizerFactory {

    static final Map<String, Object> DEFAULTS = Map.of("spring.kafka.consumer.auto-offset-reset", "earliest");

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.hasAnnotation(testClass, ParallelConsumerTest.class) ? new TestDefaults()
                : null;
    }

    /** A record: equal customizers let Spring's test context cache share the application between classes. */
    private record TestDefaults() implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            context.getEnvironment().getPropertySources()
                    .addLast(new MapPropertySource("parallelConsumerTestDefaults", DEFAULTS));
        }
    }
}
