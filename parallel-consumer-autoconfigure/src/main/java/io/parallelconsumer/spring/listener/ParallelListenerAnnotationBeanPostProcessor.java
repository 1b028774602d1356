package io.parallelconsumer.spring.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.parallelconsumer.annotation.ParallelListener;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@code @ParallelListener} methods on beans, resolves their attributes ({@code ${...}} placeholders
 * included), and registers them with the {@link ParallelListenerRegistry} once every singleton exists. Classes
 * without such methods are remembered so they are not scanned twice.
 */
public class ParallelListenerAnnotationBeanPostProcessor
        implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

    private final Set<Class<?>> withoutListeners = ConcurrentHashMap.newKeySet();
    private final List<ParallelListenerEndpoint> endpoints = new ArrayList<>();
    private ConfigurableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        this.beanFactory = (ConfigurableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (withoutListeners.contains(targetClass)) {
            return bean;
        }
        Map<Method, ParallelListener> methods = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<ParallelListener>) method -> AnnotatedElementUtils
                        .findMergedAnnotation(method, ParallelListener.class));
        if (methods.isEmpty()) {
            withoutListeners.add(targetClass);
            return bean;
        }
        methods.forEach((method, annotation) -> {
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            synchronized (endpoints) {
                endpoints.add(endpoint(bean, invocable, annotation));
            }
        });
        return bean;
    }

    private ParallelListenerEndpoint endpoint(Object bean, Method method, ParallelListener annotation) {
        String where = "@ParallelListener on " + method.toGenericString();
        String id = resolve(annotation.id());
        if (!StringUtils.hasText(id)) {
            id = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        }
        List<String> topics = Arrays.stream(annotation.topics()).map(this::resolve)
                .flatMap(value -> StringUtils.commaDelimitedListToSet(value).stream()).map(String::trim)
                .filter(StringUtils::hasText).toList();
        String patternText = resolve(annotation.topicPattern());
        Pattern pattern = null;
        if (StringUtils.hasText(patternText)) {
            try {
                pattern = Pattern.compile(patternText);
            }
            catch (PatternSyntaxException ex) {
                throw new IllegalStateException(where + ": topicPattern '" + patternText + "' is not a valid "
                        + "regular expression: " + ex.getDescription(), ex);
            }
        }
        if (topics.isEmpty() == (pattern == null)) {
            throw new IllegalStateException(where + ": set exactly one of topics and topicPattern");
        }
        if (annotation.ordering().length > 1) {
            throw new IllegalStateException(where + ": give at most one ordering");
        }
        return new ParallelListenerEndpoint(id, ListenerMethodAdapter.of(bean, method), topics, pattern,
                emptyToNull(resolve(annotation.groupId())),
                annotation.ordering().length == 1 ? annotation.ordering()[0] : null,
                integer(where, "concurrency", resolve(annotation.concurrency())),
                bool(where, resolve(annotation.autoStartup())));
    }

    private String resolve(String value) {
        return value == null || value.isEmpty() ? value : beanFactory.resolveEmbeddedValue(value);
    }

    private static String emptyToNull(String value) {
        return StringUtils.hasText(value) ? value : null;
    }

    private static Integer integer(String where, String attribute, String value) {
        if (!StringUtils.hasText(value)) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        }
        catch (NumberFormatException ex) {
            throw new IllegalStateException(where + ": " + attribute + " must be a whole number, but was '" + value
                    + "'", ex);
        }
    }

    private static Boolean bool(String where, String value) {
        if (!StringUtils.hasText(value)) {
            return null;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalStateException(where + ": autoStartup must be true or false, but was '" + value + "'");
        }
        return Boolean.valueOf(value);
    }

    @Override
    public void afterSingletonsInstantiated() {
        ParallelListenerRegistry registry = beanFactory.getBean(ParallelListenerRegistry.class);
        synchronized (endpoints) {
            endpoints.forEach(registry::register);
            endpoints.clear();
        }
    }
}
