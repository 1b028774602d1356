package io.parallelconsumer.autoconfigure;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A running web application whose listener is made to block, fall behind, retry, skip and pause, read the way an
 * operator would: {@code /actuator/prometheus}, {@code /actuator/health} and {@code /actuator/parallelconsumers},
 * over HTTP.
 */
class ObservabilityIT {

    private static final String L = "listener";
    private static final String ID = "observed";
    private static final String PROMTOOL = "/usr/bin/promtool";

    private WebApplication app;

    @AfterEach
    void close() {
        BlockingListener.release.countDown();
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aBlockedRecordShowsInTheMetricsTheHealthAndTheEndpointUntilItIsReleased() throws Exception {
        String topic = TestBroker.createTopic("observed", 2);
        String p0 = "0";
        String p1 = "1";
        try (KafkaProducer<String, String> producer = TestBroker.producer()) {
            // Partition 0: 30 records of one key that blocks, each followed by a record of a free key, so the free
            // keys complete around the blocked ones and leave 29 gaps above the blocking offset 0.
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "stuck", "stuck-" + i));
                producer.send(new ProducerRecord<>(topic, 0, "free-" + i, "free-" + i));
            }
            // Partition 1: 19 records that succeed and one that always fails, to be retried once then skipped.
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, 1, "p1-" + i, i == 10 ? "fail" : "ok-" + i));
            }
        }
        start(topic);

        // Backpressure: 30 blocked records reach max-in-flight (20), so partition 0 is paused.
        PrometheusScrape scrape = awaitScrape(s -> s.find("parallel_consumer_paused", L, ID, "partition", p0)
                .stream().anyMatch(sample -> sample.value() == 1.0)
                && s.find("parallel_consumer_records_total", L, ID, "result", "skipped").stream()
                        .anyMatch(sample -> sample.value() == 1.0)
                && s.find("parallel_consumer_records_total", L, ID, "result", "success").stream()
                        .anyMatch(sample -> sample.value() == 49.0));
        assertThat(scrape.value("parallel_consumer_blocking_offset", L, ID, "partition", p0)).isEqualTo(0);
        assertThat(scrape.value("parallel_consumer_blocking_offset", L, ID, "partition", p1)).isEqualTo(-1);
        assertThat(scrape.value("parallel_consumer_incomplete", L, ID, "partition", p0)).isEqualTo(30);
        assertThat(scrape.value("parallel_consumer_gaps", L, ID, "partition", p0)).isEqualTo(29);
        assertThat(scrape.value("parallel_consumer_gaps", L, ID, "partition", p1)).isZero();
        assertThat(scrape.value("parallel_consumer_in_flight", L, ID)).isEqualTo(30);
        assertThat(scrape.value("parallel_consumer_queued", L, ID)).isEqualTo(29);
        assertThat(scrape.value("parallel_consumer_backpressure_pauses_total", L, ID)).isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("parallel_consumer_records_total", L, ID, "topic", topic, "result", "retry"))
                .isEqualTo(1);
        assertThat(scrape.value("parallel_consumer_records_total", L, ID, "topic", topic, "result", "failure"))
                .isEqualTo(1);
        assertThat(scrape.value("parallel_consumer_processing_seconds_count", L, ID, "result", "success"))
                .isEqualTo(49);
        assertThat(scrape.value("parallel_consumer_processing_seconds_count", L, ID, "result", "retry"))
                .isEqualTo(1);
        assertThat(scrape.value("parallel_consumer_processing_seconds_count", L, ID, "result", "failure"))
                .isEqualTo(1);
        assertThat(scrape.find("parallel_consumer_processing_seconds_bucket", L, ID, "result", "success"))
                .as("percentile histogram switched on by a standard Boot property").isNotEmpty();
        assertThat(scrape.value("parallel_consumer_latency_seconds_count", L, ID, "topic", topic)).isEqualTo(49);

        // The committed offset of partition 0 stays at 0 while its lag is the whole partition; partition 1 catches up.
        PrometheusScrape committed = awaitScrape(s -> s.find("parallel_consumer_lag", L, ID, "partition", p1)
                .stream().anyMatch(sample -> sample.value() == 0.0));
        assertThat(committed.value("parallel_consumer_lag", L, ID, "partition", p0)).isEqualTo(60);
        assertThat(committed.value("parallel_consumer_commits_total", L, ID, "result", "success"))
                .isGreaterThanOrEqualTo(1);

        // The blocking duration grows, and past the 2 s threshold the listener's health turns DOWN, naming it.
        double firstDuration = committed.value("parallel_consumer_blocking_duration_seconds", L, ID, "partition", p0);
        await().atMost(Duration.ofSeconds(20)).until(() -> scrape().value(
                "parallel_consumer_blocking_duration_seconds", L, ID, "partition", p0) > firstDuration + 0.5);
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/actuator/health").contains("\"DOWN\""));
        String health = get("/actuator/health/parallelConsumers/" + ID);
        assertThat(health).contains("\"status\":\"DOWN\"", "\"partition\":\"" + topic + "-0\"", "\"offset\":0",
                "\"blockedFor\":\"PT");

        // The endpoint shows the same state, and pauses and resumes the listener.
        String listener = get("/actuator/parallelconsumers/" + ID);
        assertThat(listener).contains("\"state\":\"RUNNING\"", "\"maxInFlight\":20", "\"blockingOffset\":0",
                "\"gaps\":29", "\"ordering\":\"KEY\"", "\"engine\":\"PLATFORM\"");
        assertThat(get("/actuator/parallelconsumers")).contains("\"listeners\":{\"" + ID + "\":");
        assertThat(post("/actuator/parallelconsumers/" + ID, "{\"action\":\"pause\"}"))
                .contains("\"pausedByApplication\":true");
        assertThat(post("/actuator/parallelconsumers/" + ID, "{\"action\":\"resume\"}"))
                .contains("\"pausedByApplication\":false");
        assertThat(status("POST", "/actuator/parallelconsumers/" + ID, "{\"action\":\"explode\"}")).isEqualTo(400);
        assertThat(status("GET", "/actuator/parallelconsumers/nobody", null)).isEqualTo(404);

        // The exposition is valid for Prometheus' own linter, and the Grafana dashboard asks only for what is there.
        PrometheusScrape current = scrape();
        promtoolAccepts(current.text);
        GrafanaDashboard.check(Path.of("../docs/grafana/parallel-consumer-dashboard.json"), current);

        // Released: everything completes and commits; the partition resumes, nothing blocks, health is UP again.
        BlockingListener.release.countDown();
        PrometheusScrape done = awaitScrape(s -> s.find("parallel_consumer_lag", L, ID, "partition", p0).stream()
                .anyMatch(sample -> sample.value() == 0.0));
        assertThat(done.value("parallel_consumer_paused", L, ID, "partition", p0)).isZero();
        assertThat(done.value("parallel_consumer_blocking_offset", L, ID, "partition", p0)).isEqualTo(-1);
        assertThat(done.value("parallel_consumer_blocking_duration_seconds", L, ID, "partition", p0)).isZero();
        assertThat(done.value("parallel_consumer_gaps", L, ID, "partition", p0)).isZero();
        assertThat(done.value("parallel_consumer_in_flight", L, ID)).isZero();
        assertThat(done.value("parallel_consumer_records_total", L, ID, "result", "success")).isEqualTo(79);
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/actuator/health").contains("\"status\":\"UP\""));

        // A stopped listener's gauges go away with its partitions; its counters stay.
        app.context().getBean(ParallelListenerRegistry.class).stop(ID);
        PrometheusScrape stopped = scrape();
        assertThat(stopped.find("parallel_consumer_lag", L, ID)).isEmpty();
        assertThat(stopped.find("parallel_consumer_in_flight", L, ID)).isEmpty();
        assertThat(stopped.value("parallel_consumer_records_total", L, ID, "result", "success")).isEqualTo(79);
        assertThat(get("/actuator/health/parallelConsumers/" + ID)).contains("\"status\":\"UNKNOWN\"");
    }

    private void start(String topic) {
        BlockingListener.release = new CountDownLatch(1);
        app = WebApplication.start(ObservedApplication.class, topic,
                "management.metrics.distribution.percentiles-histogram.parallel.consumer.processing=true",
                "management.metrics.distribution.percentiles-histogram.parallel.consumer.latency=true",
                "parallel-consumer.retry.backoff.initial=10ms",
                "parallel-consumer.health.blocked-threshold=2s",
                "parallel-consumer.listeners.observed.max-in-flight=20",
                "parallel-consumer.listeners.observed.max-attempts=2");
    }

    private PrometheusScrape awaitScrape(Predicate<PrometheusScrape> condition) {
        PrometheusScrape[] last = new PrometheusScrape[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = scrape();
            return condition.test(last[0]);
        });
        return last[0];
    }

    private PrometheusScrape scrape() throws IOException, InterruptedException {
        return new PrometheusScrape(get("/actuator/prometheus"));
    }

    private String get(String path) throws IOException, InterruptedException {
        return app.get(path);
    }

    private String post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = app.send("POST", path, json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private int status(String method, String path, String json) throws IOException, InterruptedException {
        return app.send(method, path, json).statusCode();
    }

    /**
     * Runs {@code promtool check metrics}: the whole exposition must parse, and our meters must pass its linter
     * without a single remark (other meters of the application, such as the Kafka client's own or Tomcat's,
     * draw naming remarks that are not ours to fix). CI installs promtool (Debian's prometheus package) and sets
     * REQUIRE_PROMTOOL, so there a missing promtool fails the test instead of skipping the check.
     */
    private static void promtoolAccepts(String exposition) throws Exception {
        assumePromtool();
        PromtoolResult all = promtool(exposition);
        assertThat(all.exitCode()).as("exit 0 (clean) or 3 (lint remarks only), not a parse error:\n" + all.output())
                .isIn(0, 3);
        assertThat(all.output()).doesNotContain("parallel_consumer");
        String ours = exposition.lines()
                .filter(line -> line.startsWith("parallel_consumer_") || line.startsWith("# HELP parallel_consumer_")
                        || line.startsWith("# TYPE parallel_consumer_"))
                .collect(Collectors.joining("\n", "", "\n"));
        assertThat(ours).contains("parallel_consumer_lag");
        PromtoolResult own = promtool(ours);
        assertThat(own.exitCode()).as("promtool check metrics on our meters said:\n" + own.output()).isZero();
    }

    static void assumePromtool() {
        boolean present = Files.isExecutable(Path.of(PROMTOOL));
        if (!present && System.getenv("REQUIRE_PROMTOOL") != null) {
            throw new AssertionError("promtool is required (REQUIRE_PROMTOOL is set) but " + PROMTOOL + " is missing");
        }
        assumeThat(present).as("promtool installed (apt-get install prometheus)").isTrue();
    }

    private static PromtoolResult promtool(String exposition) throws Exception {
        return promtool(exposition, "check", "metrics");
    }

    /** Runs promtool with {@code input} on its standard input. */
    static PromtoolResult promtool(String input, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(PROMTOOL));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new PromtoolResult(process.exitValue(), output);
    }

    record PromtoolResult(int exitCode, String output) {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ObservedApplication {

        @Bean
        BlockingListener blockingListener() {
            return new BlockingListener();
        }
    }

    static class BlockingListener {
        static volatile CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger failures = new AtomicInteger();

        @ParallelListener(id = ID, topics = "${app.topic}", concurrency = "4")
        void on(ConsumerRecord<String, String> record) throws InterruptedException {
            if (record.key().equals("stuck") && !release.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("never released");
            }
            if (record.value().equals("fail")) {
                failures.incrementAndGet();
                throw new IllegalStateException("always fails");
            }
        }
    }
}
