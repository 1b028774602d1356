package io.parallelconsumer.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.parallelconsumer.admin.KafkaResetOperations;
import io.parallelconsumer.testing.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reset bean from {@code spring.kafka.*} and {@code parallel-consumer.admin.reset.*}, and the startup reset. */
class KafkaResetAutoConfigurationIT {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaResetAutoConfiguration.class))
            .withPropertyValues("spring.kafka.bootstrap-servers=" + TestBroker.bootstrapServers());

    @Test
    void theBeanExistsButRefusesUntilEnabled() {
        contextRunner.run(context -> {
            KafkaResetOperations operations = context.getBean(KafkaResetOperations.class);
            assertThat(operations.settings().enabled()).isFalse();
            assertThatThrownBy(() -> operations.deleteGroups(List.of("any")))
                    .hasMessageContaining("parallel-consumer.admin.reset.enabled=true");
        });
    }

    @Test
    void onStartupResetsTheListedTopicsAndGroupsBeforeTheContextIsReady() throws Exception {
        String topic = TestBroker.createTopic("startup", 1);
        String group = TestBroker.uniqueName("startup-group");
        TestBroker.produceSequenced(topic, 10, 1);
        try (Admin admin = admin()) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(5)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        contextRunner.withPropertyValues("parallel-consumer.admin.reset.enabled=true",
                "parallel-consumer.admin.reset.on-startup=true",
                "parallel-consumer.admin.reset.allowed-names=startup-.*",
                "parallel-consumer.admin.reset.topics[0].name=" + topic,
                "parallel-consumer.admin.reset.topics[0].partitions=4",
                "parallel-consumer.admin.reset.topics[0].configs.retention.ms=60000",
                "parallel-consumer.admin.reset.groups[0]=" + group).run(context -> {
                    assertThat(context).hasNotFailed();
                    KafkaResetProperties properties = context.getBean(KafkaResetProperties.class);
                    assertThat(properties.getTopics().get(0).getConfigs()).containsEntry("retention.ms", "60000");
                    try (Admin admin = admin()) {
                        assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                                .partitions()).hasSize(4);
                        assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get())
                                .isEmpty();
                    }
                });
    }

    @Test
    void onStartupWithoutEnabledFailsStartupSayingWhatIsMissing() {
        contextRunner.withPropertyValues("parallel-consumer.admin.reset.on-startup=true",
                "parallel-consumer.admin.reset.topics[0].name=whatever",
                "parallel-consumer.admin.reset.topics[0].partitions=0",
                "parallel-consumer.admin.reset.allowed-names=[").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("on-startup=true deletes topics and groups at every start; it also "
                                    + "needs parallel-consumer.admin.reset.enabled=true")
                            .hasMessageContaining("parallel-consumer.admin.reset.topics[0].partitions must be at least 1")
                            .hasMessageContaining("parallel-consumer.admin.reset.allowed-names is not a valid regular "
                                    + "expression");
                });
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers());
        return Admin.create(props);
    }

}
