package io.parallelconsumer.autoconfigure;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.testing.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener paused through the endpoint, read over HTTP as an operator would: its lag keeps telling the truth
 * while nothing is fetched, its health stays UP and says it is paused, and the endpoint answers 404 and 400 with
 * what exists.
 */
class PausedListenerIT {

    private static final String ID = "payments";
    private static final int PARTITIONS = 3;

    private WebApplication app;

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void lagGrowsWhilePausedAndHealthAndEndpointSayPaused() throws Exception {
        String topic = TestBroker.createTopic("paused-lag", PARTITIONS);
        TestBroker.produceSequenced(topic, 30, 10);
        start(topic);
        await().atMost(Duration.ofSeconds(30)).until(() -> CountingListener.processed.get() == 30
                && lagTotal() == 0);

        String paused = post("{\"action\":\"pause\"}", 200);
        assertThat(paused).contains("\"state\":\"PAUSED\"", "\"pausedByApplication\":true", "\"pausedSince\":\"20");
        // The pause takes effect at the poller's next turn: only then is nothing fetched any more.
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/actuator/parallelconsumers/" + ID)
                .split("\"paused\":true").length - 1 == PARTITIONS);
        TestBroker.produceSequenced(topic, 300, 50);

        // Nothing is fetched, yet the lag of every partition reaches what was produced to it.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> lagTotal() == 300);
        PrometheusScrape scrape = new PrometheusScrape(get("/actuator/prometheus"));
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(scrape.value("parallel_consumer_lag", "listener", ID, "partition", String.valueOf(p)))
                    .as("partition %d", p).isPositive();
        }
        assertThat(CountingListener.processed.get()).isEqualTo(30);
        String listener = get("/actuator/parallelconsumers/" + ID);
        assertThat(listener).contains("\"state\":\"PAUSED\"", "\"backoff\":\"exponential(initial PT0.1S");
        assertThat(listener.split("\"lag\":").length - 1).isEqualTo(PARTITIONS);
        String health = get("/actuator/health/parallelConsumers/" + ID);
        assertThat(health).contains("\"status\":\"UP\"", "\"state\":\"PAUSED\"", "\"pausedSince\":\"20");

        // Unknown listener: 404 naming the listeners; unknown action: 400 naming the actions.
        assertThat(request("/actuator/parallelconsumers/nobody", "{\"action\":\"pause\"}", 404))
                .contains("No @ParallelListener with id 'nobody'", "\"listeners\":[\"payments\"]");
        assertThat(post("{\"action\":\"explode\"}", 400)).contains("\"actions\":[\"pause\",\"resume\"]");

        post("{\"action\":\"RESUME\"}", 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> CountingListener.processed.get() == 330
                && lagTotal() == 0);
        assertThat(get("/actuator/parallelconsumers/" + ID)).contains("\"state\":\"RUNNING\"",
                "\"pausedSince\":null");
    }

    private double lagTotal() throws IOException, InterruptedException {
        List<PrometheusScrape.Sample> samples = new PrometheusScrape(get("/actuator/prometheus"))
                .find("parallel_consumer_lag", "listener", ID);
        return samples.size() < PARTITIONS ? -1 : samples.stream().mapToDouble(PrometheusScrape.Sample::value).sum();
    }

    private void start(String topic) {
        CountingListener.processed.set(0);
        app = WebApplication.start(PausedApplication.class, topic);
    }

    private String get(String path) throws IOException, InterruptedException {
        return app.get(path);
    }

    private String post(String json, int status) throws IOException, InterruptedException {
        return request("/actuator/parallelconsumers/" + ID, json, status);
    }

    private String request(String path, String json, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = app.send("POST", path, json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response.body();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PausedApplication {

        @Bean
        CountingListener countingListener() {
            return new CountingListener();
        }
    }

    static class CountingListener {
        static final AtomicInteger processed = new AtomicInteger();

        @ParallelListener(id = ID, topics = "${app.topic}")
        void on(String value) {
            processed.incrementAndGet();
        }
    }
}
