package io.parallelconsumer.test.kafka;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Flows through a small responder that answers every request on a second topic, copying its correlation id. */
@WithKafka
class FlowTrackerIT {

    private final ExecutorService responder = Executors.newSingleThreadExecutor();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @AfterEach
    void stopResponder() throws InterruptedException {
        running.set(false);
        responder.shutdown();
        assertThat(responder.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Answers each request on {@code requests} with {@code accepted:<value>} on {@code responses}. */
    private void respond(KafkaFixtures kafka, String requests, String responses) {
        KafkaConsumer<String, String> consumer = kafka.consumer();
        KafkaProducer<String, String> producer = kafka.producer();
        consumer.subscribe(List.of(requests));
        responder.execute(() -> {
            while (running.get()) {
                for (ConsumerRecord<String, String> request : consumer.poll(Duration.ofMillis(100))) {
                    ProducerRecord<String, String> response = new ProducerRecord<>(responses, request.key(),
                            "accepted:" + request.value());
                    request.headers().forEach(header -> response.headers().add(header));
                    producer.send(response);
                }
            }
        });
    }

    @Test
    void aRequestAndItsResponseAreFoundByTheirCorrelationIdWithTheTimeBetween(KafkaFixtures kafka) {
        String requests = kafka.createTopic("order-placed", 2);
        String responses = kafka.createTopic("order-accepted", 2);
        respond(kafka, requests, responses);
        FlowTracker tracker = new FlowTracker(kafka);

        String other = tracker.publish(requests, "customer-1", "order-1");
        String id = tracker.publish(requests, "customer-2", "order-2");
        FlowTracker.Flow flow = tracker.trackEventFlow(id, requests, responses, Duration.ofSeconds(30));

        assertThat(flow.requestFound()).isTrue();
        assertThat(flow.responseFound()).isTrue();
        assertThat(flow.request().value()).isEqualTo("order-2");
        assertThat(flow.response().value()).isEqualTo("accepted:order-2");
        assertThat(flow.duration()).hasValueSatisfying(d -> assertThat(d.isNegative()).isFalse());
        assertThat(tracker.awaitRecord(responses, other, Duration.ofSeconds(30))).hasValueSatisfying(
                record -> assertThat(record.value()).isEqualTo("accepted:order-1"));
    }

    @Test
    void aRequestNobodyAnswersIsFoundWithoutAResponseOnceTheTimeIsUp(KafkaFixtures kafka) {
        String requests = kafka.createTopic("unanswered", 1);
        String responses = kafka.createTopic("never", 1);
        FlowTracker tracker = new FlowTracker(kafka).withHeader("trace-id");

        String id = tracker.publish(requests, "k", "v");
        FlowTracker.Flow flow = tracker.trackEventFlow(id, requests, responses, Duration.ofSeconds(2));

        assertThat(flow.requestFound()).isTrue();
        assertThat(flow.request().headers().lastHeader("trace-id")).isNotNull();
        assertThat(flow.responseFound()).isFalse();
        assertThat(flow.duration()).isEmpty();
    }
}
