package io.parallelconsumer.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletionStage;

import io.parallelconsumer.annotation.ParallelListener;
import io.parallelconsumer.spring.listener.ParallelListenerConfigurationException;
import io.parallelconsumer.spring.listener.ParallelListenerRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.validation.annotation.Validated;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every mistake at the Spring edge stops the application at startup, saying what is wrong and what to do; none of
 * them may wait for the first record (where a failure is retried, skipped and committed).
 */
class ListenerStartupFailureTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
                    ParallelConsumerAutoConfiguration.class))
            .withPropertyValues("parallel-consumer.auto-startup=false");

    private static String failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        while (!(failure instanceof ParallelListenerConfigurationException) && failure.getCause() != null) {
            failure = failure.getCause();
        }
        assertThat(failure).isInstanceOf(ParallelListenerConfigurationException.class);
        return failure.getMessage();
    }

    @Test
    void aBatchParameterIsRejectedSayingThatAListenerGetsOneRecordAtATime() {
        contextRunner.withBean(BatchListener.class).run(context -> assertThat(failure(context))
                .contains("BatchListener.on of bean")
                .contains("parameter 0 (java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<"
                        + "java.lang.String, java.lang.String>>")
                .contains("one record at a time")
                .contains("takes exactly one of ConsumerRecord<K, V>, Message<V>"));
    }

    @Test
    void aValidatedPayloadWithoutAValidatorIsRejectedSayingWhatToAdd() {
        contextRunner.withBean(ValidatingListener.class).run(context -> assertThat(failure(context))
                .contains("ValidatingListener.on of bean")
                .contains("marks a parameter @Valid, but the application has no Validator")
                .contains("spring-boot-starter-validation"));
    }

    @Test
    void observationsWithoutAnObservationRegistryAreRejectedSayingWhatToAdd() {
        contextRunner.withBean(PlainListener.class).withPropertyValues("parallel-consumer.observation-enabled=true")
                .run(context -> assertThat(failure(context))
                        .contains("'plain' has parallel-consumer.observation-enabled=true")
                        .contains("no ObservationRegistry")
                        .contains("spring-boot-starter-actuator"));
    }

    @Test
    void aValidatedConsumerRecordIsRejectedSayingToValidateTheValue() {
        contextRunner.withBean(ValidatingRecordListener.class).run(context -> assertThat(failure(context))
                .contains("a ConsumerRecord is not validated, its value is"));
    }

    @Test
    void aBatchOfMessagesIsRejectedToo() {
        contextRunner.withBean(MessageBatchListener.class).run(context -> assertThat(failure(context))
                .contains("Message<List> is a batch shape"));
    }

    @Test
    void anAcknowledgmentParameterIsRejectedSayingThatTheListenerCommitsItself() {
        contextRunner.withBean(AcknowledgingListener.class).run(context -> assertThat(failure(context))
                .contains("parameter 1 (org.springframework.kafka.support.Acknowledgment")
                .contains("there is no Acknowledgment to call"));
    }

    @Test
    void twoParametersThatWouldBothReceiveTheRecordAreRejectedWithAHintAtHeader() {
        contextRunner.withBean(TwoPayloadsListener.class).run(context -> assertThat(failure(context))
                .contains("both parameter 0 (java.lang.String")
                .contains("@Header(KafkaHeaders.RECEIVED_KEY)"));
    }

    @Test
    void aHeaderOfTheWrongTypeIsRejected() {
        contextRunner.withBean(WrongHeaderTypeListener.class).run(context -> assertThat(failure(context))
                .contains("header kafka_offset is a Long, which a String parameter cannot take"));
    }

    @Test
    void aValueParameterTheDeserializerCannotProduceIsRejected() {
        // Spring Boot's default value deserializer is StringDeserializer.
        contextRunner.withBean(OrderListener.class).run(context -> assertThat(failure(context))
                .contains("OrderListener.on of bean")
                .contains("takes the record's value as " + Order.class.getName())
                .contains("the value deserializer produces java.lang.String"));
    }

    @Test
    void theGenericTypesOfAConsumerRecordAreCheckedAgainstTheDeserializersToo() {
        contextRunner.withBean(IntegerRecordListener.class).run(context -> assertThat(failure(context))
                .contains("takes the record's value as java.lang.Integer"));
        contextRunner.withBean(IntegerRecordListener.class)
                .withPropertyValues("spring.kafka.consumer.value-deserializer="
                        + "org.apache.kafka.common.serialization.IntegerDeserializer")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aDeserializerBehindTheErrorHandlingDeserializerIsCheckedToo() {
        contextRunner.withBean(IntegerRecordListener.class)
                .withPropertyValues("spring.kafka.consumer.value-deserializer="
                        + "org.springframework.kafka.support.serializer.ErrorHandlingDeserializer",
                        "spring.kafka.consumer.properties.spring.deserializer.value.delegate.class="
                                + "org.apache.kafka.common.serialization.StringDeserializer")
                .run(context -> assertThat(failure(context)).contains("the value deserializer produces "
                        + "java.lang.String"));
    }

    @Test
    void aMessageParameterIsAccepted() {
        contextRunner.withBean(MessageListener.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ParallelListenerRegistry.class).getListenerIds()).containsExactly("messages");
        });
    }

    @Test
    void aReturnValueThatWouldBeIgnoredIsRejected() {
        contextRunner.withBean(ReturningListener.class).run(context -> assertThat(failure(context))
                .contains("returns String, whose value would be ignored"));
    }

    @Test
    void placeholdersExpressionsBeanReferencesAndTheListenerBeanAreResolvedInEveryAttribute() {
        contextRunner.withUserConfiguration(ExpressionListeners.class)
                .withPropertyValues("app.topic=Orders", "app.suffix=x", "app.concurrency=12", "app.group=g1")
                .run(context -> {
                    ParallelListenerRegistry registry = context.getBean(ParallelListenerRegistry.class);
                    assertThat(registry.getListenerIds()).containsExactlyInAnyOrder("orders-x", "pattern");
                    var orders = registry.getConsumer("orders-x").options();
                    assertThat(orders.topics()).containsExactly("orders", "from-bean", "own-topic", "a", "b");
                    assertThat(orders.groupId()).isEqualTo("G1");
                    assertThat(orders.concurrency()).isEqualTo(24);
                    var pattern = registry.getConsumer("pattern").options();
                    assertThat(pattern.topicPattern().pattern()).isEqualTo("orders-.*");
                    assertThat(pattern.concurrency()).as("empty: the global setting").isEqualTo(16);
                });
    }

    @Test
    void anAttributeThatResolvesToNothingFailsStartupNamingTheAttribute() {
        contextRunner.withBean(EmptyTopicListener.class).run(context -> assertThat(failure(context))
                .contains("topics '${app.missing:}' resolves to an empty value"));
        contextRunner.withBean(BadConcurrencyListener.class).run(context -> assertThat(failure(context))
                .contains("concurrency '#{'many'}' resolves to 'many'"));
        contextRunner.withBean(BadExpressionListener.class).run(context -> assertThat(failure(context))
                .contains("attribute topics = '#{@noSuchBean.topic}' cannot be resolved"));
    }

    @Test
    void aListenerOnALazyBeanIsRegisteredWhenTheBeanIsCreated() {
        contextRunner.withUserConfiguration(LazyListenerConfiguration.class)
                .withPropertyValues("parallel-consumer.listeners.lazy.concurrency=3").run(context -> {
                    assertThat(context).hasNotFailed();
                    ParallelListenerRegistry registry = context.getBean(ParallelListenerRegistry.class);
                    assertThat(registry.getListenerIds()).isEmpty();
                    context.getBean(LazyListener.class);
                    assertThat(registry.getListenerIds()).containsExactly("lazy");
                    assertThat(registry.getConsumer("lazy").options().concurrency()).isEqualTo(3);
                });
    }

    @Test
    void propertiesForAListenerIdThatDoesNotExistFailStartupNamingTheIdsThatDo() {
        contextRunner.withBean(MessageListener.class)
                .withPropertyValues("parallel-consumer.listeners.mesages.concurrency=4")
                .run(context -> assertThat(failure(context))
                        .contains("parallel-consumer.listeners has settings for listener id mesages")
                        .contains("the listeners are: messages"));
    }

    @Test
    void autoCommitFailsStartup() {
        contextRunner.withBean(MessageListener.class)
                .withPropertyValues("spring.kafka.consumer.enable-auto-commit=true")
                .run(context -> assertThat(failure(context))
                        .contains("cannot run with spring.kafka.consumer.enable-auto-commit=true")
                        .contains("Remove spring.kafka.consumer.enable-auto-commit"));
    }

    @Test
    void failuresAreReportedAsSpringBootsDescriptionAndAction() {
        // Spring Boot's own analyzers need arguments this loader does not give: only ours is instantiated.
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, null, (type, name, failure) -> { });
        FailureAnalyzer ours = analyzers.stream().filter(ParallelConsumerFailureAnalyzer.class::isInstance)
                .findFirst().orElseThrow();
        contextRunner.withBean(BatchListener.class).run(context -> {
            FailureAnalysis analysis = ours.analyze(context.getStartupFailure());
            assertThat(context.getStartupFailure()).isInstanceOf(BeanCreationException.class);
            assertThat(analysis.getDescription()).contains("BatchListener.on").contains("one record at a time")
                    .doesNotContain("Action:");
            assertThat(analysis.getAction()).startsWith("A @ParallelListener method gets one record at a time");
        });
        contextRunner.withPropertyValues("parallel-consumer.resume-ratio=2").run(context -> {
            FailureAnalysis analysis = ours.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("parallel-consumer.resume-ratio must be within (0, 1)");
            assertThat(analysis.getAction()).contains("Correct the properties named above");
        });
    }

    record Order(String id) {
    }

    static class BatchListener {
        @ParallelListener(id = "batch", topics = "t")
        void on(List<ConsumerRecord<String, String>> records) {
        }
    }

    static class MessageBatchListener {
        @ParallelListener(id = "batch", topics = "t")
        void on(Message<List<String>> records) {
        }
    }

    static class ValidatingListener {

        @ParallelListener(id = "validating", topics = "t")
        void on(@Validated String order) {
        }
    }

    static class ValidatingRecordListener {

        @ParallelListener(id = "validating-record", topics = "t")
        void on(@Validated ConsumerRecord<String, String> record) {
        }
    }

    static class AcknowledgingListener {
        @ParallelListener(id = "ack", topics = "t")
        void on(String value, Acknowledgment acknowledgment) {
        }
    }

    static class TwoPayloadsListener {
        @ParallelListener(id = "two", topics = "t")
        void on(String key, String value) {
        }
    }

    static class WrongHeaderTypeListener {
        @ParallelListener(id = "header", topics = "t")
        void on(String value, @Header(KafkaHeaders.OFFSET) String offset) {
        }
    }

    static class OrderListener {
        @ParallelListener(id = "orders", topics = "t")
        void on(Order order) {
        }
    }

    static class IntegerRecordListener {
        @ParallelListener(id = "integers", topics = "t")
        void on(ConsumerRecord<String, Integer> record) {
        }
    }

    static class MessageListener {
        @ParallelListener(id = "messages", topics = "t")
        CompletionStage<Void> on(Message<String> message) {
            return null;
        }
    }

    static class PlainListener {
        @ParallelListener(id = "plain", topics = "t")
        void on(String value) {
        }
    }

    static class ReturningListener {
        @ParallelListener(id = "returning", topics = "t")
        String on(String value) {
            return value;
        }
    }

    static class EmptyTopicListener {
        @ParallelListener(id = "empty", topics = "${app.missing:}")
        void on(String value) {
        }
    }

    static class BadConcurrencyListener {
        @ParallelListener(id = "bad", topics = "t", concurrency = "#{'many'}")
        void on(String value) {
        }
    }

    static class BadExpressionListener {
        @ParallelListener(id = "bad", topics = "#{@noSuchBean.topic}")
        void on(String value) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ExpressionListeners {
        @Bean
        TopicNames topicNames() {
            return new TopicNames();
        }

        @Bean
        ExpressionListener expressionListener() {
            return new ExpressionListener();
        }
    }

    static class TopicNames {
        public String getName() {
            return "from-bean";
        }
    }

    static class ExpressionListener {
        public String getTopic() {
            return "own-topic";
        }

        @ParallelListener(id = "orders-#{'${app.suffix}'}",
                topics = { "#{'${app.topic}'.toLowerCase()}", "#{@topicNames.name}", "#{__listener.topic}",
                        "#{new String[] {'a', 'b'}}" },
                groupId = "#{'${app.group}'.toUpperCase()}", concurrency = "#{${app.concurrency} * 2}")
        void on(String value) {
        }

        @ParallelListener(id = "pattern", topicPattern = "#{T(java.util.regex.Pattern).compile('orders-.*')}",
                concurrency = "${app.unset:}")
        void onPattern(String value) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LazyListenerConfiguration {
        @Bean
        @Lazy
        LazyListener lazyListener() {
            return new LazyListener();
        }
    }

    static class LazyListener {
        @ParallelListener(id = "lazy", topics = "t")
        void on(String value) {
        }
    }
}
