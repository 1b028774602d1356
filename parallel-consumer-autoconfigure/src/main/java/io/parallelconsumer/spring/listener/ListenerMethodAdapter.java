package io.parallelconsumer.spring.listener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.parallelconsumer.AsyncRecordHandler;
import io.parallelconsumer.FatalHandlerException;
import io.parallelconsumer.RecordHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.ResolvableType;
import org.springframework.kafka.support.KafkaNull;
import org.springframework.messaging.Message;
import org.springframework.util.ReflectionUtils;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.Validator;

/**
 * Turns a listener method into the core's handler: each argument comes from the record as
 * {@link ListenerArguments} worked out at startup, and a {@code CompletionStage} return makes it an asynchronous
 * handler. The consumer only sees the handler.
 * <p>
 * What the method throws is the record's failure: it is retried and then goes to the failure policy. What fails
 * around the method - an argument that cannot be built or does not fit the parameter, a method that cannot be
 * called - is the listener's own failure, and is raised as a {@link FatalHandlerException}: the listener stops
 * without committing the record, instead of skipping records its method never saw.
 */
public final class ListenerMethodAdapter {

    private final Object bean;
    private final String where;
    private final Method method;
    private final List<Function<ConsumerRecord<Object, Object>, Object>> arguments;
    private final ResolvableType keyType;
    private final ResolvableType valueType;
    private final boolean async;
    /** The argument to validate, or -1. */
    private final int validated;
    /** Where the application's validator comes from, asked once the application's beans exist. */
    private final Supplier<Validator> validators;
    /** The application's validator, where an argument is validated; else {@code null}. Set before records run. */
    private volatile Validator validator;

    private ListenerMethodAdapter(Object bean, String where, Method method, ListenerArguments arguments,
            boolean async, Supplier<Validator> validators) {
        this.bean = bean;
        this.where = where;
        this.method = method;
        this.arguments = arguments.resolvers();
        this.keyType = arguments.keyType();
        this.valueType = arguments.valueType();
        this.async = async;
        this.validated = arguments.validated();
        this.validators = validators;
    }

    /**
     * Checks the method's shape and adapts it.
     * @param beanName the bean's name, for messages
     * @throws ParallelListenerConfigurationException naming the bean, the method, the parameter and the shapes
     *         allowed, if the method cannot take every record
     */
    public static ListenerMethodAdapter of(Object bean, String beanName, Method method) {
        return of(bean, beanName, method, () -> null);
    }

    /**
     * @param validators the application's validator, asked for (by {@link #resolveValidator()}) only when a parameter
     *        is marked {@code @Valid} or {@code @Validated}; {@code null} from it fails such a method at startup
     */
    public static ListenerMethodAdapter of(Object bean, String beanName, Method method,
            Supplier<Validator> validators) {
        String where = "@ParallelListener method " + method.getDeclaringClass().getSimpleName() + "."
                + method.getName() + " of bean '" + beanName + "' (" + method.toGenericString() + ")";
        Class<?> returnType = method.getReturnType();
        boolean async = CompletionStage.class.isAssignableFrom(returnType);
        if (!async && returnType != void.class) {
            throw new ParallelListenerConfigurationException(where + " returns " + returnType.getSimpleName()
                    + ", whose value would be ignored.", ListenerArguments.ALLOWED);
        }
        ListenerArguments arguments = ListenerArguments.of(where, method);
        ReflectionUtils.makeAccessible(method);
        return new ListenerMethodAdapter(bean, where, method, arguments, async, validators);
    }

    /**
     * Finds the validator a {@code @Valid} parameter needs, once the application's beans exist (a validator may be
     * defined by the listener's own configuration class); does nothing for a method that validates nothing.
     * @throws ParallelListenerConfigurationException when the method validates and the application has no validator
     */
    public void resolveValidator() {
        if (validated < 0 || validator != null) {
            return;
        }
        Validator found = validators.get();
        if (found == null) {
            throw new ParallelListenerConfigurationException(where + " marks a parameter @Valid, but the "
                    + "application has no Validator (or several, none named defaultValidator), so nothing "
                    + "would be validated.", "Add a Bean Validation provider (spring-boot-starter-validation), "
                    + "or define one Validator bean.");
        }
        validator = found;
    }

    public boolean isAsync() {
        return async;
    }

    /** The key type the method needs, or {@code null} when it does not receive the key. */
    public ResolvableType keyType() {
        return keyType;
    }

    /** The value type the method needs. */
    public ResolvableType valueType() {
        return valueType;
    }

    /** The bean and method, as messages name them. */
    public String description() {
        return where;
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
        Object[] args = new Object[arguments.size()];
        for (int i = 0; i < args.length; i++) {
            try {
                args[i] = arguments.get(i).apply(record);
            }
            catch (ListenerArguments.MissingHeaderException ex) {
                throw ex; // the record's own failure: it goes the way of any failing record
            }
            catch (RuntimeException ex) {
                throw notCallable(record, "argument " + i + " could not be built", ex);
            }
        }
        if (validated >= 0) {
            validate(record, args[validated]);
        }
        try {
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
        catch (IllegalArgumentException | IllegalAccessException ex) {
            // Thrown by reflection before the method ran, most often an argument of another type than the
            // parameter's: a deserializer that produces something else than the method declares.
            throw notCallable(record, "it cannot be called with " + argumentTypes(args), ex);
        }
    }

    /** A payload that is not valid fails the record, without a retry: it would not become valid. */
    private void validate(ConsumerRecord<Object, Object> record, Object argument) {
        Object payload = argument instanceof Message<?> message ? message.getPayload() : argument;
        if (payload == null || payload instanceof KafkaNull) {
            return; // a tombstone: nothing to validate
        }
        Validator validator = this.validator;
        if (validator == null) {
            throw new IllegalStateException(where + " runs before its validator was resolved; the registry resolves "
                    + "it when it registers the listener");
        }
        BeanPropertyBindingResult errors = new BeanPropertyBindingResult(payload, "payload");
        validator.validate(payload, errors);
        if (errors.hasErrors()) {
            throw new ListenerValidationException(where + ": record " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + " is not valid: " + describe(errors), errors);
        }
    }

    private static String describe(BeanPropertyBindingResult errors) {
        return errors.getAllErrors().stream().map(error -> error instanceof FieldError field
                ? field.getField() + " " + field.getDefaultMessage() + " (was " + field.getRejectedValue() + ")"
                : error.getDefaultMessage()).collect(Collectors.joining("; "));
    }

    private FatalHandlerException notCallable(ConsumerRecord<Object, Object> record, String why, Exception cause) {
        return new FatalHandlerException(where + " cannot take record " + record.topic() + "-" + record.partition()
                + "@" + record.offset() + ": " + why + " (" + cause + "). The method was not called and the record "
                + "is not committed; make the parameter types match what the deserializers produce", cause);
    }

    private static String argumentTypes(Object[] args) {
        StringBuilder types = new StringBuilder("(");
        for (int i = 0; i < args.length; i++) {
            types.append(i == 0 ? "" : ", ").append(args[i] == null ? "null" : args[i].getClass().getName());
        }
        return types.append(")").toString();
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
