package io.parallelconsumer.spring.listener;

import java.util.List;
import java.util.regex.Pattern;

import io.parallelconsumer.Ordering;

/**
 * One {@code @ParallelListener} method with its annotation attributes resolved; {@code null} where the annotation
 * leaves a setting to the properties.
 *
 * @param id the listener id
 * @param adapter the listener method
 * @param topics the topics, empty when {@code topicPattern} is used
 * @param topicPattern the topic pattern, or {@code null}
 * @param groupId the consumer group, or {@code null}
 * @param ordering the ordering, or {@code null}
 * @param concurrency the concurrency, or {@code null}
 * @param autoStartup whether to start with the context, or {@code null}
 */
public record ParallelListenerEndpoint(String id, ListenerMethodAdapter adapter, List<String> topics,
        Pattern topicPattern, String groupId, Ordering ordering, Integer concurrency, Boolean autoStartup) {
}
