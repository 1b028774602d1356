package io.parallelconsumer.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.parallelconsumer.test.ParallelConsumerTest;
import io.parallelconsumer.test.ParallelListeners;
import io.parallelconsumer.test.kafka.KafkaFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo end to end: its generator feeds orders, the listener keeps every customer in sequence. */
@ParallelConsumerTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.generator.events-per-second=3000", "sample.generator.max-events=3000", "sample.simulated-io=1ms" })
class SampleApplicationIT {

    private static final String TOPIC = KafkaFixtures.uniqueName("sample-orders");

    @DynamicPropertySource
    static void topic(DynamicPropertyRegistry registry) {
        registry.add("sample.topic", () -> TOPIC);
    }

    @Autowired
    OrderProcessor processor;

    @Autowired
    ParallelListeners listeners;

    @LocalServerPort
    int port;

    @Test
    void processesEveryCustomersOrdersInSequenceAndServesHealthAndMetrics() throws Exception {
        listeners.awaitProcessed("orders", 3000, Duration.ofMinutes(1));
        listeners.awaitIdle("orders");
        assertThat(processor.processed()).isEqualTo(3000);
        assertThat(processor.outOfOrder()).isZero();

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(url("/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"parallelConsumers\"");
        HttpResponse<String> prometheus = http.send(HttpRequest.newBuilder(url("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("sample_orders_processed 3000.0")
                .contains("sample_orders_out_of_order 0.0")
                .containsPattern("parallel_consumer_records_total\\{listener=\"orders\",result=\"success\",topic=\"[^\"]+\"} 3000.0")
                .contains("parallel_consumer_latency_seconds_bucket{listener=\"orders\"");
        HttpResponse<String> listeners = http.send(HttpRequest.newBuilder(url("/actuator/parallelconsumers/orders"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listeners.statusCode()).isEqualTo(200);
        assertThat(listeners.body()).contains("\"state\":\"RUNNING\"").contains("\"concurrency\":128");
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
