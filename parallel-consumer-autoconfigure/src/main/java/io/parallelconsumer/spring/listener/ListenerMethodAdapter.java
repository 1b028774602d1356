package io.parallelconsumer.spring.listener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;

import io.parallelconsumer.AsyncRecordHandler;
import io.parallelconsumer.RecordHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.util.ReflectionUtils;

/**
 * Turns a listener method into the core's handler: it passes the whole {@link ConsumerRecord} or only its value,
 * and treats a {@code CompletionStage} return as an asynchronous handler. The consumer only sees the handler.
 */
public final class ListenerMethodAdapter {

    static final String SUPPORTED_SHAPES = "one parameter - the ConsumerRecord<K, V> or the value V - and a return "
            + "type of void or CompletionStage<?>";

    private final Object bean;
    private final Method method;
    private final boolean passRecord;
    private final boolean async;

    private ListenerMethodAdapter(Object bean, Method method, boolean passRecord, boolean async) {
        this.bean = bean;
        this.method = method;
        this.passRecord = passRecord;
        this.async = async;
    }

    /**
     * Checks the method's shape and adapts it.
     * @throws IllegalStateException naming the method and the supported shapes, if the shape is not supported
     */
    public static ListenerMethodAdapter of(Object bean, Method method) {
        Class<?> returnType = method.getReturnType();
        boolean async = CompletionStage.class.isAssignableFrom(returnType);
        if (method.getParameterCount() != 1 || !(async || returnType == void.class)) {
            throw new IllegalStateException("@ParallelListener method " + method.toGenericString()
                    + " has an unsupported shape; a listener method takes " + SUPPORTED_SHAPES);
        }
        ReflectionUtils.makeAccessible(method);
        boolean passRecord = ConsumerRecord.class.isAssignableFrom(method.getParameterTypes()[0]);
        return new ListenerMethodAdapter(bean, method, passRecord, async);
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
            return method.invoke(bean, passRecord ? record : record.value());
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
