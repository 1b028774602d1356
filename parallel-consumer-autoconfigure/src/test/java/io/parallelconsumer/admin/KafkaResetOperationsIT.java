package io.parallelconsumer.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Resets against a real broker: offsets, topics that exist or not, groups with live members, the guards. */
class KafkaResetOperationsIT {

    private static Admin admin;

    @BeforeAll
    static void admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers());
        admin = Admin.create(props);
    }

    @AfterAll
    static void close() {
        admin.close(Duration.ofSeconds(5));
    }

    private static Map<String, Object> config() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers());
    }

    private static KafkaResetOperations operations() {
        return new KafkaResetOperations(config(),
                ResetSettings.enabledForAnyName().withRetries(5, Duration.ofMillis(50), Duration.ofMillis(200)));
    }

    @Test
    void aResetDeletesTheGroupWithItsOffsetsAndRecreatesTheTopicEmptyWithNewSettings() throws Exception {
        String topic = TestBroker.createTopic("reset", 2);
        String group = TestBroker.uniqueName("reset-group");
        TestBroker.produceSequenced(topic, 100, 5);
        admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(30)))
                .all().get(30, TimeUnit.SECONDS);
        assertThat(groups()).contains(group);

        operations().reset(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("retention.ms", "3600000"))),
                List.of(group));

        assertThat(groups()).doesNotContain(group);
        assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS))
                .isEmpty();
        assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3)
                .allSatisfy(partition -> assertThat(partition.leader()).isNotNull());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        ConfigEntry retention = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms");
        assertThat(retention.value()).isEqualTo("3600000");
        for (int p = 0; p < 3; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset())
                    .as("records left in %s", tp).isZero();
        }
    }

    @Test
    void topicsAndGroupsThatDoNotExistCountAsDeleted() {
        String topic = TestBroker.uniqueName("never-created");
        String group = TestBroker.uniqueName("never-used");

        operations().deleteTopics(List.of(topic));
        operations().deleteGroups(List.of(group));
        operations().recreateTopics(List.of(new NewTopic(topic, 1, (short) 1)));

        await().atMost(Duration.ofSeconds(10)).until(() -> admin.listTopics().names().get().contains(topic));
    }

    @Test
    void aGroupWithALiveMemberIsRetriedUntilTheMemberLeaves() throws Exception {
        String topic = TestBroker.createTopic("reset-live", 1);
        String group = TestBroker.uniqueName("live-group");
        LiveMember member = LiveMember.join(group, topic);
        CountDownLatch refused = new CountDownLatch(1);
        KafkaResetOperations operations = new KafkaResetOperations(config(),
                ResetSettings.enabledForAnyName().withRetries(100, Duration.ofMillis(100), Duration.ofMillis(100))) {
            @Override
            protected void onRetry(String subject, int failedAttempt, Duration backoff, Throwable cause) {
                super.onRetry(subject, failedAttempt, backoff, cause);
                if (cause instanceof GroupNotEmptyException) {
                    refused.countDown();
                }
            }
        };
        CompletableFuture<Void> reset = CompletableFuture.runAsync(() -> operations.deleteGroups(List.of(group)));

        assertThat(refused.await(30, TimeUnit.SECONDS)).as("the broker refused while the member lived").isTrue();
        assertThat(reset).isNotDone();
        member.leave();

        reset.get(30, TimeUnit.SECONDS);
        assertThat(groups()).doesNotContain(group);
    }

    @Test
    void aMemberThatNeverLeavesEndsInAnErrorNamingTheGroup() throws Exception {
        String topic = TestBroker.createTopic("reset-stuck", 1);
        String group = TestBroker.uniqueName("stuck-group");
        LiveMember member = LiveMember.join(group, topic);
        try {
            KafkaResetOperations operations = new KafkaResetOperations(config(),
                    ResetSettings.enabledForAnyName().withRetries(3, Duration.ofMillis(50), Duration.ofMillis(50)));
            assertThatThrownBy(() -> operations.deleteGroups(List.of(group)))
                    .isInstanceOf(KafkaResetException.class)
                    .hasMessageContaining("group '" + group + "'")
                    .hasMessageContaining("after 3 attempt(s)")
                    .hasRootCauseInstanceOf(GroupNotEmptyException.class)
                    .satisfies(ex -> assertThat(((KafkaResetException) ex).getSubject())
                            .isEqualTo("group '" + group + "'"));
        }
        finally {
            member.leave();
        }
    }

    @Test
    void nothingRunsUnlessEnabled() {
        String topic = TestBroker.createTopic("reset-disabled", 1);
        KafkaResetOperations disabled = new KafkaResetOperations(config(), new ResetSettings(false, null, 3,
                Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(10)));

        assertThatThrownBy(() -> disabled.deleteTopics(List.of(topic))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parallel-consumer.admin.reset.enabled=true").hasMessageContaining(topic);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> admin.listTopics().names().get().contains(topic));
    }

    @Test
    void theAllowListIsCheckedForEveryNameBeforeAnythingIsDeleted() throws Exception {
        String allowed = TestBroker.createTopic("bench", 1);
        String other = TestBroker.createTopic("precious", 1);
        KafkaResetOperations operations = new KafkaResetOperations(config(), new ResetSettings(true,
                Pattern.compile("bench-.*"), 3, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(10)));

        assertThatThrownBy(() -> operations.reset(List.of(new NewTopic(allowed, 1, (short) 1),
                new NewTopic(other, 1, (short) 1)), List.of("precious-group")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topic '" + other + "'").hasMessageContaining("group 'precious-group'")
                .hasMessageNotContaining("topic '" + allowed + "'");
        assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(allowed, other);
    }

    private static List<String> groups() throws Exception {
        return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().map(listing -> listing.groupId())
                .toList();
    }

    /** A consumer that joins a group and polls on its own thread until told to leave. */
    private static final class LiveMember {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final CountDownLatch assigned = new CountDownLatch(1);

        static LiveMember join(String group, String topic) throws InterruptedException {
            LiveMember member = new LiveMember();
            Thread thread = new Thread(() -> member.run(group, topic), "live-member-" + group);
            thread.setDaemon(true);
            thread.start();
            assertThat(member.assigned.await(30, TimeUnit.SECONDS)).as("member joined").isTrue();
            return member;
        }

        private void run(String group, String topic) {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(TestBroker.consumerProperties(group))) {
                consumer.subscribe(List.of(topic));
                while (running.get()) {
                    consumer.poll(Duration.ofMillis(50));
                    if (!consumer.assignment().isEmpty()) {
                        assigned.countDown();
                    }
                }
            }
            finally {
                done.complete(null);
            }
        }

        void leave() throws Exception {
            running.set(false);
            done.get(30, TimeUnit.SECONDS);
        }
    }
}
