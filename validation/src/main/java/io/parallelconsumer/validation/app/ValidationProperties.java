package io.parallelconsumer.validation.app;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the suite tells one consumer process.
 *
 * @param topic the topic to consume
 * @param group the consumer group
 * @param instance this instance's name in the suite's logs (for example {@code g1-a#3}: instance a, third start)
 * @param log the file every processed record is appended to
 * @param work how long each record's work takes (a sleep, as I/O would)
 * @param holdKey with {@code holdSequence}, the one record to hold for {@code holdFor}, to have a record still
 *     running while later ones finish; none when empty
 * @param holdSequence the held record's sequence number within its key
 * @param holdFor how long the held record runs
 */
@ConfigurationProperties("validation")
public record ValidationProperties(String topic, String group, String instance, Path log, Duration work,
        String holdKey, long holdSequence, Duration holdFor) {

    public ValidationProperties {
        if (topic == null || group == null || instance == null || log == null) {
            throw new IllegalArgumentException("validation.topic, validation.group, validation.instance and "
                    + "validation.log are required; the suite sets them on the command line");
        }
        work = work == null ? Duration.ZERO : work;
        holdFor = holdFor == null ? Duration.ofMinutes(5) : holdFor;
    }

    boolean holds(String key, long sequence) {
        return holdKey != null && !holdKey.isEmpty() && holdKey.equals(key) && holdSequence == sequence;
    }
}
