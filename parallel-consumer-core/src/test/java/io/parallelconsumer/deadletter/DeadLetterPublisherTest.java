package io.parallelconsumer.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.parallelconsumer.FailedRecord;
import io.parallelconsumer.FailureAction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where a dead letter goes and when the publisher refuses, on Kafka's {@link MockProducer}: what is decided here is
 * the publisher's, not the broker's (the broker's part is in {@code DeadLetterIT}).
 */
class DeadLetterPublisherTest {

    private static final Node NODE = new Node(0, "localhost", 9092);

    /** A producer that acknowledges every send, and knows a dead-letter topic of two partitions. */
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(new Cluster("c", List.of(NODE),
            List.of(partition("orders-dlt", 0), partition("orders-dlt", 1)), Set.of(), Set.of()), true, null,
            new ByteArraySerializer(), new ByteArraySerializer());

    @Test
    void aRecordGoesToItsOwnPartitionNumberWhenTheDeadLetterTopicHasItElseTheProducerChooses() {
        DeadLetterPublisher<String, String> publisher = DeadLetterPublisher.<String, String>to(producer).build();

        assertThat(publisher.onFailure(failed("orders", 1))).isEqualTo(FailureAction.DEAD_LETTERED);
        assertThat(publisher.onFailure(failed("orders", 5))).isEqualTo(FailureAction.DEAD_LETTERED);

        assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly("orders-dlt");
        assertThat(producer.history()).extracting(ProducerRecord::partition).containsExactly(1, null);
        assertThat(producer.history()).extracting(letter -> new String(letter.value(), StandardCharsets.UTF_8))
                .containsExactly("v", "v");
        assertThat(publisher.published()).isEqualTo(2);
    }

    @Test
    void aSuffixOrADestinationNamesTheTopic() {
        DeadLetterPublisher.<String, String>to(producer).topicSuffix(".DLT").samePartition(false).build()
                .onFailure(failed("orders", 1));
        DeadLetterPublisher.<String, String>to(producer)
                .destination(failed -> new TopicPartition("all-failures", -1)).build()
                .onFailure(failed("orders", 1));

        assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("orders.DLT", "all-failures");
        assertThat(producer.history()).extracting(ProducerRecord::partition).containsExactly(1, null);
    }

    @Test
    void aTopicTheCheckDoesNotFindStopsWithoutASendAndIsCounted() {
        List<Throwable> told = new ArrayList<>();
        DeadLetterPublisher<String, String> publisher = DeadLetterPublisher.<String, String>to(producer)
                .requireExistingTopic(topic -> false).onSendFailure(told::add).build();

        assertThatThrownBy(() -> publisher.onFailure(failed("orders", 0))).isInstanceOf(DeadLetterException.class)
                .hasMessageContaining("dead-letter topic orders-dlt of record orders-0@7 does not exist");

        assertThat(producer.history()).isEmpty();
        assertThat(publisher.sendFailures()).isEqualTo(1);
        assertThat(told).singleElement().isInstanceOf(DeadLetterException.class);
    }

    @Test
    void aTopicFoundOnceIsNotCheckedAgain() {
        List<String> checked = new ArrayList<>();
        DeadLetterPublisher<String, String> publisher = DeadLetterPublisher.<String, String>to(producer)
                .requireExistingTopic(topic -> checked.add(topic)).build();

        publisher.onFailure(failed("orders", 0));
        publisher.onFailure(failed("orders", 1));

        assertThat(checked).containsExactly("orders-dlt");
    }

    @Test
    void aRecordWhoseBytesWereNotKeptIsRefusedSayingWhy() {
        DeadLetterPublisher<String, String> publisher = DeadLetterPublisher.<String, String>to(producer).build();
        FailedRecord<String, String> withoutBytes = FailedRecord.handlerFailed(
                new ConsumerRecord<>("orders", 0, 3, "k", "v"), 3, new IllegalStateException("no"));

        assertThatThrownBy(() -> publisher.onFailure(withoutBytes)).isInstanceOf(DeadLetterException.class)
                .hasMessageContaining("key bytes of record orders-0@3 were not kept")
                .hasMessageContaining("key.deserializer and value.deserializer");
        assertThat(producer.history()).isEmpty();
    }

    private static FailedRecord<String, String> failed(String topic, int partition) {
        return new FailedRecord<>(FailedRecord.Kind.DESERIALIZATION_FAILED, topic, partition, 7, null,
                ByteBuffer.wrap("k".getBytes(StandardCharsets.UTF_8)), ByteBuffer.wrap("v".getBytes(
                        StandardCharsets.UTF_8)), 0, new IllegalArgumentException("bad"), new RecordHeaders(), 1L,
                TimestampType.CREATE_TIME, false);
    }

    private static PartitionInfo partition(String topic, int partition) {
        return new PartitionInfo(topic, partition, NODE, new Node[] { NODE }, new Node[] { NODE });
    }
}
