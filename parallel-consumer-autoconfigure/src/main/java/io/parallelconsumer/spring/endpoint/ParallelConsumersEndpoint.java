package io.parallelconsumer.spring.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code parallelconsumers} Actuator endpoint: every listener's settings and the state of each of its
 * partitions, and pausing or resuming a listener by id. Like every Actuator endpoint but health, it is reachable
 * over HTTP only once listed in {@code management.endpoints.web.exposure.include}; its write operation can be
 * switched off with {@code management.endpoint.parallelconsumers.access=read-only}.
 * <ul>
 * <li>{@code GET /actuator/parallelconsumers}: all listeners</li>
 * <li>{@code GET /actuator/parallelconsumers/{id}}: one listener (404 if unknown)</li>
 * <li>{@code POST /actuator/parallelconsumers/{id}} with {@code {"action": "pause"}} or {@code "resume"}: the
 * listener after the change; 404 if unknown, 400 with the actions listed for an unknown action</li>
 * </ul>
 */
@Endpoint(id = "parallelconsumers")
public class ParallelConsumersEndpoint {

    private final ParallelListenerRegistry registry;

    public ParallelConsumersEndpoint(ParallelListenerRegistry registry) {
        this.registry = registry;
    }

    @ReadOperation
    public ParallelConsumersDescriptor listeners() {
        Map<String, ListenerDescriptor> listeners = new LinkedHashMap<>();
        registry.getListenerIds().stream().sorted().forEach(id -> {
            ListenerDescriptor descriptor = describe(id);
            if (descriptor != null) {
                listeners.put(id, descriptor);
            }
        });
        return new ParallelConsumersDescriptor(listeners);
    }

    /** One listener; {@code null} (HTTP 404) when there is no listener with that id. */
    @ReadOperation
    public ListenerDescriptor listener(@Selector String id) {
        return describe(id);
    }

    /**
     * Pauses or resumes fetching for a listener; records already fetched still run while it is paused. Over HTTP
     * the {@link ParallelConsumersEndpointWebExtension} answers instead, with 404 and 400 bodies.
     * @param action what to do
     * @return the listener after the change
     * @throws IllegalArgumentException if there is no listener with that id or no action was given
     */
    @WriteOperation
    public ListenerDescriptor control(@Selector String id, ListenerAction action) {
        if (action == null) {
            throw new IllegalArgumentException("Unknown action for listener '" + id + "'; use one of "
                    + ListenerAction.names());
        }
        switch (action) {
            case PAUSE -> registry.pause(id);
            case RESUME -> registry.resume(id);
        }
        return describe(id);
    }

    /** Whether a listener with this id exists. */
    boolean exists(String id) {
        return registry.getConsumer(id) != null;
    }

    /** The ids of all listeners, sorted. */
    List<String> ids() {
        return registry.getListenerIds().stream().sorted().toList();
    }

    private ListenerDescriptor describe(String id) {
        ParallelConsumer<?, ?> consumer = registry.getConsumer(id);
        return consumer == null ? null : ListenerDescriptor.of(id, consumer.options(), consumer.snapshot());
    }

    /** Every listener, by id. */
    public record ParallelConsumersDescriptor(Map<String, ListenerDescriptor> listeners) {
    }
}
