package io.parallelconsumer.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.parallelconsumer.spring.listener.ListenerMethodAdapter;
import io.parallelconsumer.spring.listener.ParallelListenerConfigurationException;
import io.parallelconsumer.spring.listener.ParallelListenerEndpoint;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.Scope;
import org.springframework.util.StringUtils;

/**
 * Resolves the String attributes of one {@code @ParallelListener} as {@code @KafkaListener} does: {@code ${...}}
 * placeholders first, then {@code #{...}} expressions, which may refer to beans ({@code #{@topics.orders}}) and to
 * the listener's own bean as {@code __listener} ({@code #{__listener.topic}}). An attribute that is set must
 * resolve to something usable; {@code id}, {@code topics} and {@code topicPattern} must not resolve to nothing, while
 * an empty {@code groupId}, {@code concurrency} or {@code autoStartup} leaves the setting to the properties.
 */
final class ListenerAttributes {

    /** The name the listener's own bean has in expressions. */
    static final String LISTENER_BEAN = "__listener";

    private final ConfigurableListableBeanFactory beanFactory;
    private final BeanExpressionContext expressionContext;
    private final String where;

    /**
     * @param bean the listener's bean, or {@code null} if it does not exist yet
     * @param where the bean and method, for messages
     */
    ListenerAttributes(ConfigurableListableBeanFactory beanFactory, Object bean, String where) {
        this.beanFactory = beanFactory;
        this.expressionContext = new BeanExpressionContext(beanFactory, new ListenerScope(bean));
        this.where = where;
    }

    ParallelListenerEndpoint endpoint(ParallelListener annotation, Method method, ListenerMethodAdapter adapter) {
        List<String> topics = topics(annotation.topics());
        Pattern pattern = pattern(annotation.topicPattern());
        if (topics.isEmpty() == (pattern == null)) {
            throw invalid("topics and topicPattern", topics.isEmpty() ? "are both empty" : "are both set",
                    "Set exactly one of topics and topicPattern.");
        }
        if (annotation.ordering().length > 1) {
            throw invalid("ordering", "gives " + annotation.ordering().length + " orderings", "Give at most one.");
        }
        return new ParallelListenerEndpoint(id(annotation, method), adapter, topics, pattern,
                optionalText("groupId", annotation.groupId()),
                annotation.ordering().length == 1 ? annotation.ordering()[0] : null,
                concurrency(annotation.concurrency()), autoStartup(annotation.autoStartup()));
    }

    String id(ParallelListener annotation, Method method) {
        if (annotation.id().isEmpty()) {
            return method.getDeclaringClass().getSimpleName() + "." + method.getName();
        }
        Object value = resolve("id", annotation.id());
        if (!(value instanceof String id) || !StringUtils.hasText(id)) {
            throw invalid("id", "'" + annotation.id() + "' resolves to " + shown(value),
                    "Make it resolve to a non-blank id, or leave it out to use the method's name.");
        }
        return id.trim();
    }

    private List<String> topics(String[] attribute) {
        List<String> topics = new ArrayList<>();
        for (String text : attribute) {
            Object value = resolve("topics", text);
            List<String> resolved = new ArrayList<>();
            addTopics(value, resolved);
            if (resolved.isEmpty()) {
                throw invalid("topics", "'" + text + "' resolves to " + shown(value),
                        "Make it resolve to one or more topic names (a String, comma-separated, a String[] or a "
                                + "Collection of Strings).");
            }
            topics.addAll(resolved);
        }
        return topics;
    }

    private void addTopics(Object value, List<String> topics) {
        if (value instanceof String text) {
            StringUtils.commaDelimitedListToSet(text).stream().map(String::trim).filter(StringUtils::hasText)
                    .forEach(topics::add);
        }
        else if (value instanceof String[] array) {
            for (String element : array) {
                addTopics(element, topics);
            }
        }
        else if (value instanceof Collection<?> collection) {
            for (Object element : collection) {
                if (!(element instanceof String)) {
                    throw invalid("topics", "resolves to a collection holding " + shown(element),
                            "Make it resolve to topic names (Strings).");
                }
                addTopics(element, topics);
            }
        }
        else if (value != null) {
            throw invalid("topics", "resolves to " + shown(value), "Make it resolve to one or more topic names.");
        }
    }

    private Pattern pattern(String attribute) {
        if (attribute.isEmpty()) {
            return null;
        }
        Object value = resolve("topicPattern", attribute);
        if (value instanceof Pattern pattern) {
            return pattern;
        }
        if (!(value instanceof String text) || !StringUtils.hasText(text)) {
            throw invalid("topicPattern", "'" + attribute + "' resolves to " + shown(value),
                    "Make it resolve to a regular expression (a String or a java.util.regex.Pattern).");
        }
        try {
            return Pattern.compile(text);
        }
        catch (PatternSyntaxException ex) {
            throw invalid("topicPattern", "'" + text + "' is not a valid regular expression: " + ex.getDescription(),
                    "Correct the regular expression.");
        }
    }

    private String optionalText(String attribute, String text) {
        Object value = resolve(attribute, text);
        if (value == null || value instanceof String string && !StringUtils.hasText(string)) {
            return null;
        }
        if (!(value instanceof String string)) {
            throw invalid(attribute, "'" + text + "' resolves to " + shown(value), "Make it resolve to a String.");
        }
        return string.trim();
    }

    private Integer concurrency(String text) {
        Object value = resolve("concurrency", text);
        if (value instanceof Number number && number.doubleValue() == number.intValue()) {
            return number.intValue();
        }
        String string = value instanceof String s ? s.trim() : null;
        if (value == null || string != null && string.isEmpty()) {
            return null;
        }
        try {
            if (string != null) {
                return Integer.valueOf(string);
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        throw invalid("concurrency", "'" + text + "' resolves to " + shown(value),
                "Make it resolve to a whole number, or leave it empty to use parallel-consumer.concurrency.");
    }

    private Boolean autoStartup(String text) {
        Object value = resolve("autoStartup", text);
        if (value instanceof Boolean bool) {
            return bool;
        }
        String string = value instanceof String s ? s.trim() : null;
        if (value == null || string != null && string.isEmpty()) {
            return null;
        }
        if ("true".equalsIgnoreCase(string) || "false".equalsIgnoreCase(string)) {
            return Boolean.valueOf(string);
        }
        throw invalid("autoStartup", "'" + text + "' resolves to " + shown(value),
                "Make it resolve to true or false, or leave it empty to use parallel-consumer.auto-startup.");
    }

    /** Placeholders, then expressions; {@code null} for an empty attribute. */
    private Object resolve(String attribute, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            String placeholdersResolved = beanFactory.resolveEmbeddedValue(text);
            BeanExpressionResolver resolver = beanFactory.getBeanExpressionResolver();
            return resolver == null ? placeholdersResolved
                    : resolver.evaluate(placeholdersResolved, expressionContext);
        }
        catch (RuntimeException ex) {
            throw new ParallelListenerConfigurationException(where + ": attribute " + attribute + " = '" + text
                    + "' cannot be resolved: " + ex.getMessage(),
                    "Define the property it refers to, or correct the expression.", ex);
        }
    }

    private static String shown(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String text) {
            return text.isBlank() ? "an empty value" : "'" + text + "'";
        }
        return "a " + value.getClass().getName() + " (" + value + ")";
    }

    private ParallelListenerConfigurationException invalid(String attribute, String problem, String action) {
        return new ParallelListenerConfigurationException(where + ": " + attribute + " " + problem + ".", action);
    }

    /** Offers the listener's own bean to expressions as {@code __listener}, as Spring Kafka does. */
    private record ListenerScope(Object bean) implements Scope {

        @Override
        public Object resolveContextualObject(String key) {
            return LISTENER_BEAN.equals(key) ? bean : null;
        }

        @Override
        public Object get(String name, ObjectFactory<?> objectFactory) {
            return objectFactory.getObject();
        }

        @Override
        public Object remove(String name) {
            return null;
        }

        @Override
        public void registerDestructionCallback(String name, Runnable callback) {
        }

        @Override
        public String getConversationId() {
            return null;
        }
    }
}
