package io.parallelconsumer.internal.engine;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Finds virtual threads at run time. The library is compiled for Java 17, which has none, so the Java 21 API
 * ({@code Thread.ofVirtual().name(prefix, 0).factory()}) is reached by reflection, once.
 */
public final class VirtualThreads {

    private static final Method OF_VIRTUAL;
    private static final Method NAME;
    private static final Method FACTORY;

    static {
        Method ofVirtual = null;
        Method name = null;
        Method factory = null;
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            ofVirtual = Thread.class.getMethod("ofVirtual");
            name = builder.getMethod("name", String.class, long.class);
            factory = builder.getMethod("factory");
        }
        catch (ReflectiveOperationException ex) {
            // Java 17 to 20: no virtual threads
        }
        OF_VIRTUAL = ofVirtual;
        NAME = name;
        FACTORY = factory;
    }

    private VirtualThreads() {
    }

    /** Whether this JVM can start virtual threads. */
    public static boolean available() {
        return OF_VIRTUAL != null;
    }

    /**
     * A factory of virtual threads named {@code prefix0}, {@code prefix1}...
     * @throws IllegalStateException if this JVM has no virtual threads
     */
    public static ThreadFactory factory(String prefix) {
        if (!available()) {
            throw new IllegalStateException("Virtual threads need Java 21 or later; this JVM is "
                    + System.getProperty("java.version") + ". Choose the platform engine or run on a newer JVM.");
        }
        try {
            Object builder = NAME.invoke(OF_VIRTUAL.invoke(null), prefix, 0L);
            return (ThreadFactory) FACTORY.invoke(builder);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("Could not create a virtual thread factory", ex);
        }
    }
}
