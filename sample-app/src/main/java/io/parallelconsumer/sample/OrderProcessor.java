package io.parallelconsumer.sample;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.parallelconsumer.annotation.ParallelListener;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Applies each customer's order events to its running balance after a simulated call to a slow service. With KEY
 * ordering each customer's events come one at a time and in sequence while many customers are served at once;
 * an event that arrives out of sequence is counted ({@code sample.orders.out.of.order}). With
 * {@code sample.accepted-topic} set, each event is answered there with an order-accepted event carrying the event's
 * headers, sent and acknowledged before the event counts as done (so that its offset is committed only after).
 */
@Component
class OrderProcessor {

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final long ioMillis;
    private final KafkaTemplate<String, String> template;
    private final String acceptedTopic;

    OrderProcessor(MeterRegistry meters, SampleProperties properties, KafkaTemplate<String, String> template) {
        this.ioMillis = properties.getSimulatedIo().toMillis();
        this.template = template;
        this.acceptedTopic = properties.getAcceptedTopic();
        meters.gauge("sample.orders.processed", processed);
        meters.gauge("sample.orders.out.of.order", outOfOrder);
        meters.gauge("sample.customers", accounts, Map::size);
    }

    @ParallelListener(id = "orders", topics = "${sample.topic}", groupId = "sample-orders")
    void onOrder(String value, @Header(KafkaHeaders.RECEIVED_KEY) String customerId, Headers headers)
            throws InterruptedException {
        OrderEvent event = OrderEvent.parse(value);
        TimeUnit.MILLISECONDS.sleep(ioMillis); // the slow service each event waits for
        Account account = accounts.computeIfAbsent(customerId, id -> new Account());
        // Only one event per customer runs at a time, so the account needs no lock of its own.
        if (event.sequence() != account.nextSequence) {
            outOfOrder.incrementAndGet();
        }
        account.nextSequence = event.sequence() + 1;
        account.balanceCents += event.amountCents();
        if (acceptedTopic != null) {
            ProducerRecord<String, String> accepted = new ProducerRecord<>(acceptedTopic, customerId,
                    "accepted " + value);
            headers.forEach(header -> accepted.headers().add(header));
            template.send(accepted).join();
        }
        processed.incrementAndGet();
    }

    long processed() {
        return processed.get();
    }

    long outOfOrder() {
        return outOfOrder.get();
    }

    private static final class Account {
        volatile long nextSequence;
        volatile long balanceCents;
    }
}
