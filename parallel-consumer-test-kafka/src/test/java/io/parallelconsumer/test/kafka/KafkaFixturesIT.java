package io.parallelconsumer.test.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/** The fixtures against the run's broker, handed out by the extension. */
@WithKafka
class KafkaFixturesIT {

    @Test
    void theExtensionHandsOutTheBrokerAndPutsItsAddressWhereSpringBootLooks(KafkaBroker broker,
            KafkaFixtures fixtures) {
        assertThat(System.getProperty("spring.kafka.bootstrap-servers")).isEqualTo(broker.bootstrapServers());
        assertThat(fixtures.bootstrapServers()).isEqualTo(broker.bootstrapServers());
        assertThat(broker.source()).isEqualTo(BrokerSettings.fromEnvironment().choose(() -> true).source());
        assertThat(broker).as("one broker for the run").isSameAs(KafkaBrokers.shared());
    }

    @Test
    void aTopicIsCreatedWithItsPartitionsAndConfigsAndALeaderOnEveryPartition(KafkaFixtures fixtures)
            throws Exception {
        String topic = fixtures.createTopic(TopicSpec.named("orders").partitions(3)
                .config("cleanup.policy", "compact"));

        assertThat(topic).startsWith("orders-");
        TopicDescription description = fixtures.admin().describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic);
        assertThat(description.partitions()).hasSize(3).allSatisfy(p -> assertThat(p.leader()).isNotNull());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = fixtures.admin().describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                .get(resource);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(fixtures.listTopics()).contains(topic);
        assertThat(fixtures.endOffsets(topic)).containsOnlyKeys(new TopicPartition(topic, 0),
                new TopicPartition(topic, 1), new TopicPartition(topic, 2)).containsValues(0L);
    }

    @Test
    void whatTheProducerSendsTheConsumerOfANewGroupReadsFromTheStart(KafkaFixtures fixtures) throws Exception {
        String topic = fixtures.createTopic("round-trip", 2);
        KafkaProducer<String, String> producer = fixtures.producer();
        for (int i = 0; i < 10; i++) {
            producer.send(new ProducerRecord<>(topic, "k" + i % 3, "v" + i)).get(30, TimeUnit.SECONDS);
        }
        KafkaConsumer<String, String> consumer = fixtures.consumer();
        consumer.subscribe(List.of(topic));
        List<String> values = new ArrayList<>();

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(record.value()));
            return values.size() >= 10;
        });

        assertThat(values).containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        assertThat(fixtures.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10);
        consumer.commitSync();
        String group = consumer.groupMetadata().groupId();
        assertThat(fixtures.committedOffsets(group).values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(10);
    }

    @Test
    void producersAndConsumersHaveTheDocumentedDefaultsAndGroupsAreUnique(KafkaFixtures fixtures) {
        Map<String, Object> producer = fixtures.producerProperties();
        assertThat(producer).containsEntry("acks", "all").containsEntry("max.in.flight.requests.per.connection", 1)
                .containsEntry("retries", Integer.MAX_VALUE);
        fixtures.groupPrefix("billing");
        Map<String, Object> consumer = fixtures.consumerProperties(true);
        assertThat(consumer).containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        assertThat((String) consumer.get(ConsumerConfig.GROUP_ID_CONFIG)).startsWith("billing-");
        assertThat(fixtures.consumerProperties(false).get(ConsumerConfig.GROUP_ID_CONFIG))
                .isNotEqualTo(consumer.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertThat(fixtures.groupId()).isNotEqualTo(fixtures.groupId());
    }

    @Test
    void closingDeletesTheTopicsCreatedAndClosesTheClientsHandedOut(KafkaBroker broker, KafkaFixtures observer)
            throws Exception {
        KafkaFixtures fixtures = new KafkaFixtures(broker);
        String topic = fixtures.createTopic("short-lived", 1);
        KafkaProducer<String, String> producer = fixtures.producer();
        producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);

        fixtures.close();

        await().atMost(Duration.ofSeconds(30)).until(() -> !observer.listTopics().contains(topic));
        assertThatIllegalStateException().isThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")))
                .withMessageContaining("closed");
    }

    @Test
    void deletingATopicThatIsNotThereIsNoError(KafkaFixtures fixtures) {
        assertThatNoException().isThrownBy(() -> fixtures.deleteTopics(List.of(
                KafkaFixtures.uniqueName("never-created"))));
    }
}
