package io.parallelconsumer.spring.deadletter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.parallelconsumer.deadletter.DeadLetterPublisher;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Publishes the dead letters of the listeners that ask for them ({@code parallel-consumer.dead-letter.enabled}),
 * through one producer made from the application's producer settings ({@code spring.kafka.producer.*}: connection,
 * security, acks) with byte serializers, since a dead letter carries the bytes as fetched. Before the first send to a
 * dead-letter topic it checks, with the admin settings, that the topic exists: a dead-letter topic is created by the
 * application, never by a broker on first use. A bean: define one of your own to change how dead letters are sent.
 */
public class DeadLetters implements DisposableBean {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final ProducerFactory<byte[], byte[]> producerFactory;
    private final Map<String, Object> adminProperties;
    private final Supplier<DeadLetterSendFailures> sendFailures;

    /**
     * @param producerFactory makes the producer of dead letters
     * @param adminProperties the settings of the admin client that checks the topics exist; {@code null} to skip the
     *        check
     * @param sendFailures told of failed tries to dead-letter a record (the meters); may supply {@code null}
     */
    public DeadLetters(ProducerFactory<byte[], byte[]> producerFactory, Map<String, Object> adminProperties,
            Supplier<DeadLetterSendFailures> sendFailures) {
        this.producerFactory = producerFactory;
        this.adminProperties = adminProperties;
        this.sendFailures = sendFailures;
    }

    /** Dead letters with the application's producer settings, and byte serializers whatever those name. */
    public static DeadLetters fromApplicationSettings(ProducerFactory<?, ?> application,
            Map<String, Object> adminProperties, Supplier<DeadLetterSendFailures> sendFailures) {
        return new DeadLetters(new DefaultKafkaProducerFactory<>(application.getConfigurationProperties(),
                new ByteArraySerializer(), new ByteArraySerializer()), adminProperties, sendFailures);
    }

    /**
     * The failure policy of one listener.
     * @param listenerId the listener's id, for the meters
     * @param groupId the listener's consumer group, named in the dead letters' headers
     * @param topicSuffix what names a record's dead-letter topic, after the record's topic
     * @param samePartition whether a record goes to the partition of its own number, when the topic has it
     */
    public DeadLetterPublisher<Object, Object> publisher(String listenerId, String groupId, String topicSuffix,
            boolean samePartition) {
        DeadLetterPublisher.Builder<Object, Object> builder = DeadLetterPublisher.<Object, Object>to(
                producerFactory.createProducer())
                .groupId(groupId)
                .topicSuffix(topicSuffix)
                .samePartition(samePartition);
        if (adminProperties != null) {
            builder.requireExistingTopic(this::exists);
        }
        DeadLetterSendFailures told = sendFailures.get();
        if (told != null) {
            builder.onSendFailure(failure -> told.failed(listenerId, failure));
        }
        return builder.build();
    }

    private boolean exists(String topic) {
        try (Admin admin = Admin.create(adminProperties)) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw new KafkaException("Could not check that dead-letter topic " + topic + " exists", ex.getCause());
        }
        catch (TimeoutException ex) {
            throw new KafkaException("Could not check within " + CHECK_TIMEOUT + " that dead-letter topic " + topic
                    + " exists", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while checking that dead-letter topic " + topic + " exists", ex);
        }
    }

    @Override
    public void destroy() throws Exception {
        if (producerFactory instanceof DisposableBean disposable) {
            disposable.destroy();
        }
    }
}
