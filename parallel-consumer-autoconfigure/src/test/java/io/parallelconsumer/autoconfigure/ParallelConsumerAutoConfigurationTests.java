package io.parallelconsumer.autoconfigure;

import java.util.function.Predicate;

import io.parallelconsumer.EngineType;
import io.parallelconsumer.Ordering;
import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.annotation.ParallelListenerAnnotationBeanPostProcessor;
import io.parallelconsumer.spring.listener.ParallelConsumerConfigurer;
import io.parallelconsumer.spring.listener.ParallelConsumerCustomizer;
import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ParallelConsumerAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
                    ParallelConsumerAutoConfiguration.class))
            .withPropertyValues("parallel-consumer.auto-startup=false");

    @Test
    void providesRegistryConfigurerAndAnnotationProcessing() {
        contextRunner.run(context -> {
            assertThat(context).hasSingleBean(ParallelListenerRegistry.class);
            assertThat(context).hasSingleBean(ParallelConsumerConfigurer.class);
            assertThat(context).hasSingleBean(ParallelListenerAnnotationBeanPostProcessor.class);
            assertThat(context).hasSingleBean(ParallelConsumerProperties.class);
        });
    }

    @Test
    void backsOffWhenUserDefinesRegistry() {
        contextRunner.withUserConfiguration(UserRegistry.class).run(context -> {
            assertThat(context).hasSingleBean(ParallelListenerRegistry.class);
            assertThat(context.getBean(ParallelListenerRegistry.class)).isSameAs(UserRegistry.REGISTRY);
        });
    }

    @Test
    void bindsGlobalAndPerListenerProperties() {
        contextRunner.withUserConfiguration(Listeners.class).withPropertyValues("orders.topic=orders-topic",
                "orders.concurrency=32", "parallel-consumer.concurrency=64", "parallel-consumer.ordering=partition",
                "parallel-consumer.retry.backoff.initial=250ms", "parallel-consumer.listeners.orders.concurrency=8",
                "parallel-consumer.listeners.orders.max-attempts=5").run(context -> {
                    ParallelConsumerProperties properties = context.getBean(ParallelConsumerProperties.class);
                    assertThat(properties.getConcurrency()).isEqualTo(64);
                    assertThat(properties.getOrdering()).isEqualTo(Ordering.PARTITION);
                    assertThat(properties.getRetry().getBackoff().getInitial()).hasMillis(250);
                    assertThat(properties.getListeners().get("orders").getConcurrency()).isEqualTo(8);
                    assertThat(properties.getListeners().get("orders").getMaxAttempts()).isEqualTo(5);
                });
    }

    @Test
    void invalidValuesFailStartupNamingTheProperty() {
        contextRunner.withPropertyValues("parallel-consumer.resume-ratio=1.5",
                "parallel-consumer.listeners.orders.concurrency=0").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("parallel-consumer.resume-ratio must be within (0, 1)")
                            .hasMessageContaining("parallel-consumer.listeners.orders.concurrency must be at least 1");
                });
    }

    @Test
    void backsOffWithoutTheLibrary() {
        contextRunner.withClassLoader(new FilteredClassLoader(ParallelConsumer.class))
                .run(context -> assertThat(context).doesNotHaveBean(ParallelListenerRegistry.class));
    }

    @Test
    void registersListenersWithAnnotationAndPropertiesResolved() {
        contextRunner.withUserConfiguration(Listeners.class)
                .withPropertyValues("orders.topic=orders-topic", "orders.concurrency=32",
                        "parallel-consumer.listeners.audit.concurrency=4", "spring.kafka.consumer.fetch-max-wait=300ms")
                .run(context -> {
                    ParallelListenerRegistry registry = context.getBean(ParallelListenerRegistry.class);
                    assertThat(registry.getListenerIds()).containsExactlyInAnyOrder("orders", "audit");
                    ParallelConsumer<Object, Object> orders = registry.getConsumer("orders");
                    assertThat(orders.options().topics()).containsExactly("orders-topic");
                    assertThat(orders.options().concurrency()).isEqualTo(32);
                    assertThat(orders.options().groupId()).isEqualTo("orders-app");
                    assertThat(orders.options().asyncHandler()).isNull();
                    assertThat(orders.options().consumerProperties())
                            .as("spring.kafka.* wins over the library's shorter fetch wait")
                            .containsEntry("fetch.max.wait.ms", 300);
                    ParallelConsumer<Object, Object> audit = registry.getConsumer("audit");
                    assertThat(audit.options().concurrency()).as("per-listener property beats annotation")
                            .isEqualTo(4);
                    assertThat(audit.options().ordering()).isEqualTo(Ordering.UNORDERED);
                    assertThat(audit.options().groupId()).as("defaults to the id").isEqualTo("audit");
                });
    }

    @Test
    void aListenerTakesTheGlobalKeysUnderItsId() {
        contextRunner.withUserConfiguration(Listeners.class)
                .withPropertyValues("orders.topic=orders-topic", "orders.concurrency=32",
                        "parallel-consumer.retry.max-attempts=4",
                        "parallel-consumer.retry.backoff.jitter=0",
                        "parallel-consumer.listeners.orders.retry.max-attempts=7",
                        "parallel-consumer.listeners.orders.retry.backoff.initial=300ms",
                        "parallel-consumer.listeners.orders.engine=auto")
                .run(context -> {
                    ParallelListenerRegistry registry = context.getBean(ParallelListenerRegistry.class);
                    ParallelConsumer<Object, Object> orders = registry.getConsumer("orders");
                    assertThat(orders.options().maxAttempts()).isEqualTo(7);
                    assertThat(orders.options().backoff().delay(1)).hasMillis(300);
                    assertThat(orders.options().engine()).isEqualTo(EngineType.AUTO);
                    ParallelConsumer<Object, Object> audit = registry.getConsumer("audit");
                    assertThat(audit.options().maxAttempts()).as("the global setting").isEqualTo(4);
                    assertThat(audit.options().backoff().delay(1)).as("the library's default").hasMillis(100);
                    assertThat(audit.options().engine()).isEqualTo(EngineType.PLATFORM);
                });
    }

    @Test
    void notRetryableTypesAreGlobalAndAddedToPerListenerAndMustBeExceptions() {
        contextRunner.withUserConfiguration(Listeners.class)
                .withPropertyValues("orders.topic=orders-topic", "orders.concurrency=32",
                        "parallel-consumer.retry.not-retryable=java.lang.IllegalArgumentException",
                        "parallel-consumer.listeners.orders.retry.not-retryable[0]="
                                + "java.lang.UnsupportedOperationException")
                .run(context -> {
                    ParallelListenerRegistry registry = context.getBean(ParallelListenerRegistry.class);
                    Predicate<Throwable> orders = registry.getConsumer("orders").options().notRetryable();
                    assertThat(orders.test(new NumberFormatException())).as("global, a subtype").isTrue();
                    assertThat(orders.test(new UnsupportedOperationException())).as("its own").isTrue();
                    assertThat(orders.test(new IllegalStateException())).isFalse();
                    Predicate<Throwable> audit = registry.getConsumer("audit").options().notRetryable();
                    assertThat(audit.test(new IllegalArgumentException())).isTrue();
                    assertThat(audit.test(new UnsupportedOperationException())).as("not its own").isFalse();
                });
        contextRunner.withUserConfiguration(Listeners.class)
                .withPropertyValues("orders.topic=orders-topic", "orders.concurrency=32",
                        "parallel-consumer.listeners.orders.retry.not-retryable=java.lang.String")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                            "parallel-consumer.listeners.orders.retry.not-retryable lists java.lang.String, which is "
                                    + "not an exception type");
                });
    }

    @Test
    void theNewKeyWinsOverItsDeprecatedAlias() {
        contextRunner.withUserConfiguration(Listeners.class)
                .withPropertyValues("orders.topic=orders-topic", "orders.concurrency=32",
                        "parallel-consumer.listeners.orders.max-attempts=2",
                        "parallel-consumer.listeners.orders.retry.max-attempts=6",
                        "parallel-consumer.listeners.audit.max-attempts=0")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("parallel-consumer.listeners.audit.max-attempts must be at least 1");
                });
        contextRunner.withUserConfiguration(Listeners.class)
                .withPropertyValues("orders.topic=orders-topic", "orders.concurrency=32",
                        "parallel-consumer.listeners.orders.max-attempts=2",
                        "parallel-consumer.listeners.orders.retry.max-attempts=6")
                .run(context -> assertThat(context.getBean(ParallelListenerRegistry.class).getConsumer("orders")
                        .options().maxAttempts()).isEqualTo(6));
    }

    @Test
    void timeoutsAndBackoffCanBeSetPerListener() {
        contextRunner.withUserConfiguration(Listeners.class)
                .withPropertyValues("orders.topic=orders-topic", "orders.concurrency=32",
                        "parallel-consumer.retry.backoff.jitter=0",
                        "parallel-consumer.listeners.orders.poll-timeout=250ms",
                        "parallel-consumer.listeners.orders.revoke-timeout=20s",
                        "parallel-consumer.listeners.orders.backoff.initial=250ms",
                        "parallel-consumer.listeners.orders.commit-metadata=false")
                .run(context -> {
                    ParallelListenerRegistry registry = context.getBean(ParallelListenerRegistry.class);
                    ParallelConsumer<Object, Object> orders = registry.getConsumer("orders");
                    assertThat(orders.options().pollTimeout()).hasMillis(250);
                    assertThat(orders.options().revokeTimeout()).hasSeconds(20);
                    assertThat(orders.options().backoff().delay(1)).hasMillis(250);
                    assertThat(orders.options().backoff().delay(2)).as("global multiplier").hasMillis(500);
                    assertThat(orders.options().commitMetadata()).isFalse();
                    assertThat(registry.getConsumer("audit").options().commitMetadata()).isTrue();
                    ParallelConsumer<Object, Object> audit = registry.getConsumer("audit");
                    assertThat(audit.options().pollTimeout()).hasMillis(100);
                    assertThat(audit.options().revokeTimeout()).hasSeconds(5);
                    assertThat(audit.options().backoff().delay(1)).hasMillis(100);
                    assertThat(orders.options().consumerProperties())
                            .as("auto-commit stays off for parallel listeners")
                            .containsEntry("enable.auto.commit", false);
                });
    }

    @Test
    void aListenersOwnBackoffIsCheckedTogetherWithTheGlobalOne() {
        contextRunner.withPropertyValues("parallel-consumer.retry.backoff.max=1s",
                "parallel-consumer.listeners.orders.backoff.initial=5s",
                "parallel-consumer.listeners.orders.revoke-timeout=0s").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("parallel-consumer.listeners.orders.backoff.max (PT1S) must not be "
                                    + "below parallel-consumer.listeners.orders.backoff.initial (PT5S)")
                            .hasMessageContaining("parallel-consumer.listeners.orders.revoke-timeout must be a "
                                    + "positive duration");
                });
    }

    @Test
    void customizersAdjustEveryListenersConsumer() {
        contextRunner.withUserConfiguration(Listeners.class)
                .withPropertyValues("orders.topic=orders-topic", "orders.concurrency=32")
                .withBean(ParallelConsumerCustomizer.class, () -> (id, builder) -> builder
                        .maxAttempts(id.equals("orders") ? 7 : 2).engine(EngineType.AUTO))
                .run(context -> {
                    ParallelListenerRegistry registry = context.getBean(ParallelListenerRegistry.class);
                    assertThat(registry.getConsumer("orders").options().maxAttempts()).isEqualTo(7);
                    assertThat(registry.getConsumer("audit").options().maxAttempts()).isEqualTo(2);
                    assertThat(registry.getConsumer("orders").options().engine()).isEqualTo(EngineType.AUTO);
                });
    }

    @Test
    void anUnsupportedMethodShapeFailsStartupNamingTheMethod() {
        contextRunner.withUserConfiguration(BadListener.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("BadListener.handle of bean "
                            + "'parallelConsumerAutoConfigurationTests.BadListener'")
                    .hasMessageContaining("A @ParallelListener method gets one record at a time and takes exactly "
                            + "one of ConsumerRecord<K, V>");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistry {
        static final ParallelListenerRegistry REGISTRY = new ParallelListenerRegistry(
                new ParallelConsumerConfigurer(new ParallelConsumerProperties(), java.util.Map.of(), null,
                        java.util.List.of()));

        @Bean
        ParallelListenerRegistry parallelListenerRegistry() {
            return REGISTRY;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        @Bean
        Handlers handlers() {
            return new Handlers();
        }
    }

    static class Handlers {
        @ParallelListener(id = "orders", topics = "${orders.topic}", groupId = "orders-app",
                concurrency = "${orders.concurrency}")
        void onOrder(ConsumerRecord<String, String> record) {
        }

        @ParallelListener(id = "audit", topics = "audit", ordering = Ordering.UNORDERED, concurrency = "16")
        java.util.concurrent.CompletionStage<Void> onAudit(String value) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadListener {
        @Bean
        BadListener badListenerBean() {
            return new BadListener();
        }

        @ParallelListener(topics = "t")
        public void handle(String key, String value) {
        }
    }
}
