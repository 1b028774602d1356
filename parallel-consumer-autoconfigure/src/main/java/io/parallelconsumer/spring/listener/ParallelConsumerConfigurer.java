package io.parallelconsumer.spring.listener;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.parallelconsumer.ParallelConsumer;
import io.parallelconsumer.ParallelConsumerBuilder;
import io.parallelconsumer.spring.deadletter.DeadLetters;
import io.parallelconsumer.spring.observation.ListenerObservations;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.core.ResolvableType;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.util.StringUtils;

/**
 * Builds the consumer of a listener endpoint from its settings, highest precedence first: the listener's own
 * settings, the annotation, the settings of every listener, the library's defaults. The Kafka consumer itself comes
 * from Spring Kafka's {@link ConsumerFactory}, so connection, security and deserializers are Spring Boot's
 * {@code spring.kafka.*}. Public so that an application can build consumers of its own the same way.
 */
public class ParallelConsumerConfigurer {

    private final ListenerSettings defaults;
    private final Map<String, ? extends ListenerSettings> listeners;
    private final ConsumerFactory<Object, Object> consumerFactory;
    private final List<ParallelConsumerCustomizer> customizers;
    private final DeadLetters deadLetters;
    private final ListenerObservations observations;

    /**
     * @param defaults the settings of every listener
     * @param listeners the settings of single listeners, by listener id
     */
    public ParallelConsumerConfigurer(ListenerSettings defaults, Map<String, ? extends ListenerSettings> listeners,
            ConsumerFactory<Object, Object> consumerFactory, List<ParallelConsumerCustomizer> customizers) {
        this(defaults, listeners, consumerFactory, customizers, null);
    }

    /**
     * @param deadLetters where the listeners with {@code dead-letter.enabled} send their dead letters; {@code null}
     *        when there is no producer for them, which such a listener then reports at startup
     */
    public ParallelConsumerConfigurer(ListenerSettings defaults, Map<String, ? extends ListenerSettings> listeners,
            ConsumerFactory<Object, Object> consumerFactory, List<ParallelConsumerCustomizer> customizers,
            DeadLetters deadLetters) {
        this(defaults, listeners, consumerFactory, customizers, deadLetters, null);
    }

    /**
     * @param observations what makes the records of listeners with {@code observation-enabled} observations;
     *        {@code null} when the application has no {@code ObservationRegistry}, which such a listener then
     *        reports at startup
     */
    public ParallelConsumerConfigurer(ListenerSettings defaults, Map<String, ? extends ListenerSettings> listeners,
            ConsumerFactory<Object, Object> consumerFactory, List<ParallelConsumerCustomizer> customizers,
            DeadLetters deadLetters, ListenerObservations observations) {
        this.observations = observations;
        this.defaults = defaults;
        this.listeners = Map.copyOf(listeners);
        this.consumerFactory = consumerFactory;
        this.customizers = List.copyOf(customizers);
        this.deadLetters = deadLetters;
    }

    /** Whether the endpoint's consumer starts with the application context (by default it does). */
    public boolean autoStartup(ParallelListenerEndpoint endpoint) {
        Boolean autoStartup = ListenerSettings.first(own(endpoint).getAutoStartup(), endpoint.autoStartup(),
                defaults.getAutoStartup());
        return autoStartup == null || autoStartup;
    }

    /** A builder configured for the endpoint, ready to {@code build()}. */
    public ParallelConsumerBuilder<Object, Object> configure(ParallelListenerEndpoint endpoint) {
        ListenerSettings own = own(endpoint);
        String groupId = groupId(endpoint);
        Map<String, Object> consumerProperties = new HashMap<>();
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // A fetch wait set in spring.kafka.* wins over the library's shorter default.
        Object fetchMaxWait = consumerFactory.getConfigurationProperties().get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
        if (fetchMaxWait != null) {
            consumerProperties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWait);
        }
        ParallelConsumerBuilder<Object, Object> builder = ParallelConsumer.builder()
                .name(endpoint.id())
                .consumerProperties(consumerProperties)
                .consumerFactory(props -> createConsumer(groupId, endpoint.id(), props));
        // lowest precedence first: each level overwrites what it sets
        defaults.applyTo(builder);
        PropertyMapper map = PropertyMapper.get();
        map.from(endpoint.ordering()).to(builder::ordering);
        map.from(endpoint.concurrency()).to(builder::concurrency);
        own.applyTo(builder);
        builder.backoff(own.backoff(defaults));
        builder.notRetryable(ListenerValidationException.class); // a payload does not become valid by trying again
        ListenerSettings.DeadLetter deadLetter = own.deadLetter(defaults);
        if (deadLetter.getEnabled()) {
            builder.failurePolicy(deadLetters(endpoint).publisher(endpoint.id(), groupId, deadLetter.getTopicSuffix(),
                    deadLetter.getSamePartition()));
            nameDeserializersInProperties(builder);
        }
        if (own.observationEnabled(defaults)) {
            builder.tracing(observations(endpoint).tracing(endpoint.id(), groupId, clientId(endpoint.id())));
        }
        if (endpoint.topicPattern() != null) {
            builder.topicPattern(endpoint.topicPattern());
        }
        else {
            builder.topics(endpoint.topics());
        }
        if (endpoint.adapter().isAsync()) {
            builder.asyncHandler(endpoint.adapter().asyncHandler());
        }
        else {
            builder.handler(endpoint.adapter().handler());
        }
        customizers.forEach(customizer -> customizer.customize(endpoint.id(), builder));
        return builder;
    }

    /**
     * Checks what can be known about the endpoint before its consumer runs: that its method's parameters can take
     * what the deserializers produce, that nothing asks for auto-commit, and that a {@code @Valid} parameter has a
     * validator.
     * @throws ParallelListenerConfigurationException naming what is wrong
     */
    public void verify(ParallelListenerEndpoint endpoint) {
        Object autoCommit = consumerFactory.getConfigurationProperties().get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        if (autoCommit != null && Boolean.parseBoolean(autoCommit.toString())) {
            // Turning it off silently would let a user believe the broker commits, and turning it on would commit
            // records before they are done.
            throw new ParallelListenerConfigurationException("@ParallelListener '" + endpoint.id() + "' cannot run "
                    + "with spring.kafka.consumer.enable-auto-commit=true: a parallel listener commits an offset "
                    + "only once every record below it is done, which auto-commit would defeat.",
                    "Remove spring.kafka.consumer.enable-auto-commit (or set it to false). Spring Kafka's own "
                            + "listener containers commit by themselves too.");
        }
        ListenerMethodAdapter adapter = endpoint.adapter();
        Class<?> key = DeserializerTypes.key(consumerFactory);
        if (!DeserializerTypes.compatible(adapter.keyType(), key)) {
            throw mismatch(adapter, "key", adapter.keyType(), key);
        }
        Class<?> value = DeserializerTypes.value(consumerFactory);
        if (!DeserializerTypes.compatible(adapter.valueType(), value)) {
            throw mismatch(adapter, "value", adapter.valueType(), value);
        }
        adapter.resolveValidator();
    }

    private static ParallelListenerConfigurationException mismatch(ListenerMethodAdapter adapter, String part,
            ResolvableType required, Class<?> produced) {
        return new ParallelListenerConfigurationException(adapter.description() + " takes the record's " + part
                + " as " + required + ", but the " + part + " deserializer produces " + produced.getName()
                + "; every record would fail.", "Declare the " + part + " as " + produced.getSimpleName()
                + ", or configure spring.kafka.consumer." + part + "-deserializer to produce " + required + ".");
    }

    private ListenerObservations observations(ParallelListenerEndpoint endpoint) {
        return required(observations, endpoint, "observation-enabled",
                "the application has no ObservationRegistry.",
                "Add spring-boot-starter-actuator (or define an ObservationRegistry bean), or leave "
                        + "observation-enabled unset.");
    }

    private DeadLetters deadLetters(ParallelListenerEndpoint endpoint) {
        return required(deadLetters, endpoint, "dead-letter.enabled", "there is no producer for dead letters.",
                "Let Spring Boot's Kafka auto-configuration define its ProducerFactory, or define a "
                        + "DeadLetters bean.");
    }

    /** A collaborator a setting of the endpoint needs; its absence fails startup saying what to do. */
    private static <T> T required(T collaborator, ParallelListenerEndpoint endpoint, String setting, String missing,
            String action) {
        if (collaborator == null) {
            throw new ParallelListenerConfigurationException("@ParallelListener '" + endpoint.id() + "' has "
                    + "parallel-consumer." + setting + "=true, but " + missing, action);
        }
        return collaborator;
    }

    /**
     * The deserializers the consumer factory is configured with, named in the consumer's own properties too, so
     * that the dead-letter publisher can have them keep the bytes they deserialize.
     */
    private void nameDeserializersInProperties(ParallelConsumerBuilder<Object, Object> builder) {
        Map<String, Object> configured = consumerFactory.getConfigurationProperties();
        for (String property : List.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)) {
            Object deserializer = configured.get(property);
            if (deserializer != null) {
                builder.consumerProperty(property, deserializer);
            }
        }
    }

    /** The listener ids that have settings of their own ({@code parallel-consumer.listeners.<id>.*}). */
    public Set<String> configuredListenerIds() {
        return listeners.keySet();
    }

    /**
     * The Kafka consumer's client id is the listener id, or {@code <client-id>-<listener id>} when
     * {@code spring.kafka.consumer.client-id} (or {@code spring.kafka.client-id}) is set, so that quotas and broker
     * logs keep what the application chose.
     */
    private Consumer<Object, Object> createConsumer(String groupId, String id, Map<String, Object> props) {
        Properties overrides = new Properties();
        overrides.putAll(props);
        return consumerFactory.createConsumer(groupId, clientId(id), null, overrides);
    }

    private String clientId(String id) {
        Object clientId = consumerFactory.getConfigurationProperties().get(ConsumerConfig.CLIENT_ID_CONFIG);
        return clientId != null && StringUtils.hasText(clientId.toString()) ? clientId + "-" + id : id;
    }

    private String groupId(ParallelListenerEndpoint endpoint) {
        if (StringUtils.hasText(endpoint.groupId())) {
            return endpoint.groupId();
        }
        Object configured = consumerFactory.getConfigurationProperties().get(ConsumerConfig.GROUP_ID_CONFIG);
        return configured != null && StringUtils.hasText(configured.toString()) ? configured.toString() : endpoint.id();
    }

    private ListenerSettings own(ParallelListenerEndpoint endpoint) {
        ListenerSettings own = listeners.get(endpoint.id());
        return own != null ? own : new ListenerSettings();
    }
}
