package io.parallelconsumer.spring.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP answers of the {@code parallelconsumers} write operation: an operation that returns nothing answers 204
 * over HTTP, so an unknown listener would look like success. Here it is 404, and an unknown action 400, each with
 * a body that says what exists (Spring Boot leaves exception messages out of its error bodies by default).
 */
@EndpointWebExtension(endpoint = ParallelConsumersEndpoint.class)
public class ParallelConsumersEndpointWebExtension {

    private final ParallelConsumersEndpoint endpoint;

    public ParallelConsumersEndpointWebExtension(ParallelConsumersEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * @param action {@code pause} or {@code resume}; an unknown name arrives as {@code null} (see
     *        {@link ListenerActionConverter})
     */
    @WriteOperation
    public WebEndpointResponse<Object> control(@Selector String id, ListenerAction action) {
        if (!endpoint.exists(id)) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, "No @ParallelListener with id '" + id + "'",
                    "listeners", endpoint.ids());
        }
        if (action == null) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Unknown action for listener '" + id + "'",
                    "actions", ListenerAction.names());
        }
        return new WebEndpointResponse<>(endpoint.control(id, action));
    }

    private static WebEndpointResponse<Object> error(int status, String message, String listName, Object list) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        body.put(listName, list);
        return new WebEndpointResponse<>(body, status);
    }
}
