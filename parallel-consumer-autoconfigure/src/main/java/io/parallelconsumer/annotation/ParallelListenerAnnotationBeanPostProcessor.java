package io.parallelconsumer.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.parallelconsumer.spring.listener.ListenerMethodAdapter;
import io.parallelconsumer.spring.listener.ParallelListenerEndpoint;
import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.validation.Validator;

/**
 * Finds {@code @ParallelListener} methods on beans, resolves their attributes ({@code ${...}} placeholders and
 * {@code #{...}} expressions, see {@link ListenerAttributes}) and checks their parameters, and registers them with
 * the {@link ParallelListenerRegistry} once every singleton exists. A bean created later (a {@code @Lazy} one)
 * has its listeners registered, and started if the registry runs, as soon as it is created. Classes without such
 * methods are remembered so they are not scanned twice.
 */
public class ParallelListenerAnnotationBeanPostProcessor
        implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

    /** The name of Spring Boot's validator bean. */
    private static final String DEFAULT_VALIDATOR = "defaultValidator";
    /** Spring Boot's validators for Spring MVC and WebFlux. */
    private static final Set<String> WEB_VALIDATORS = Set.of("mvcValidator", "webFluxValidator");

    private final Set<Class<?>> withoutListeners = ConcurrentHashMap.newKeySet();
    private final List<ParallelListenerEndpoint> endpoints = new ArrayList<>();
    private ConfigurableListableBeanFactory beanFactory;
    /** Set once every singleton exists: from then on each endpoint goes straight to the registry. */
    private boolean registryReady;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (withoutListeners.contains(targetClass)) {
            return bean;
        }
        Map<Method, ParallelListener> methods = listenerMethods(targetClass);
        if (methods.isEmpty()) {
            withoutListeners.add(targetClass);
            return bean;
        }
        methods.forEach((method, annotation) -> {
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            ListenerMethodAdapter adapter = ListenerMethodAdapter.of(bean, beanName, invocable, this::validator);
            ParallelListenerEndpoint endpoint = new ListenerAttributes(beanFactory, bean, adapter.description())
                    .endpoint(annotation, method, adapter);
            boolean now;
            synchronized (endpoints) {
                now = registryReady;
                if (!now) {
                    endpoints.add(endpoint);
                }
            }
            if (now) {
                beanFactory.getBean(ParallelListenerRegistry.class).register(endpoint);
            }
        });
        return bean;
    }

    /**
     * The application's validator: Spring Boot's {@code defaultValidator}, else the only validator bean that is
     * neither a {@code @ConfigurationProperties} class validating itself nor a web framework's (which delegates to
     * {@code defaultValidator} when there is one); {@code null} when there is none, or several.
     */
    private Validator validator() {
        if (beanFactory.containsBean(DEFAULT_VALIDATOR) && beanFactory.isTypeMatch(DEFAULT_VALIDATOR, Validator.class)) {
            return beanFactory.getBean(DEFAULT_VALIDATOR, Validator.class);
        }
        List<String> candidates = new ArrayList<>();
        for (String name : beanFactory.getBeanNamesForType(Validator.class, true, false)) {
            if (!WEB_VALIDATORS.contains(name)
                    && beanFactory.findAnnotationOnBean(name, ConfigurationProperties.class) == null) {
                candidates.add(name);
            }
        }
        return candidates.size() == 1 ? beanFactory.getBean(candidates.get(0), Validator.class) : null;
    }

    private static Map<Method, ParallelListener> listenerMethods(Class<?> type) {
        return MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<ParallelListener>) method ->
                AnnotatedElementUtils.findMergedAnnotation(method, ParallelListener.class));
    }

    @Override
    public void afterSingletonsInstantiated() {
        ParallelListenerRegistry registry = beanFactory.getBean(ParallelListenerRegistry.class);
        synchronized (endpoints) {
            endpoints.forEach(registry::register);
            endpoints.clear();
            registryReady = true;
        }
        registry.verifyListenerProperties(idsOfBeansNotYetCreated());
    }

    /**
     * The listener ids declared on lazy singletons that do not exist yet: their properties are not a mistake,
     * they apply once the bean is created.
     */
    private Set<String> idsOfBeansNotYetCreated() {
        Set<String> ids = new HashSet<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            if (!definition.isLazyInit() || beanFactory.containsSingleton(name)) {
                continue;
            }
            Class<?> type = beanFactory.getType(name, false);
            if (type == null) {
                continue;
            }
            listenerMethods(type).forEach((method, annotation) -> {
                try {
                    ids.add(new ListenerAttributes(beanFactory, null, name).id(annotation, method));
                }
                catch (RuntimeException ex) {
                    // resolved for real when the bean is created, and reported then
                }
            });
        }
        return ids;
    }
}
