package io.parallelconsumer.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import io.parallelconsumer.testing.TestBroker;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A test's Spring Boot web application on a random port, consuming {@code app.topic} from the shared broker with
 * the actuator endpoints exposed, and an HTTP client for those endpoints.
 */
final class WebApplication implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    private WebApplication(ConfigurableApplicationContext context) {
        this.context = context;
        this.base = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Starts {@code application} on {@code topic}; {@code properties} come on top of the common ones. */
    static WebApplication start(Class<?> application, String topic, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "server.port=0",
                "spring.kafka.bootstrap-servers=" + TestBroker.bootstrapServers(),
                "spring.kafka.consumer.auto-offset-reset=earliest",
                "app.topic=" + topic,
                "management.endpoints.web.exposure.include=health,prometheus,parallelconsumers",
                "management.endpoint.health.show-details=always",
                "parallel-consumer.commit-interval=100ms"));
        all.addAll(List.of(properties));
        return new WebApplication(new SpringApplicationBuilder(application).properties(all.toArray(String[]::new))
                .run());
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    String get(String path) throws IOException, InterruptedException {
        return send("GET", path, null).body();
    }

    /** Sends {@code json} (or nothing, if {@code null}) as application/json. */
    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        context.close();
    }
}
