package io.parallelconsumer.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.parallelconsumer.ParallelConsumerBuilder;
import io.parallelconsumer.deadletter.DeadLetterPublisher;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults that the configuration metadata documents (and IDEs show) are the library's own: the properties leave
 * every listener setting unset, so that {@link ParallelConsumerBuilder}'s defaults apply, and this test keeps what
 * the metadata says about them true.
 */
class DocumentedDefaultsTests {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

    @Test
    void documentedDefaultsAreTheBuildersDefaults() throws IOException {
        Map<String, JsonNode> defaults = new HashMap<>();
        for (JsonNode property : JsonMapper.builder().build().readTree(METADATA.toFile()).get("properties")) {
            if (property.has("defaultValue")) {
                defaults.put(property.get("name").asString(), property.get("defaultValue"));
            }
        }
        String p = "parallel-consumer.";
        assertThat(defaults.get(p + "ordering").asString())
                .isEqualTo(ParallelConsumerBuilder.DEFAULT_ORDERING.name().toLowerCase(Locale.ROOT));
        assertThat(defaults.get(p + "engine").asString())
                .isEqualTo(ParallelConsumerBuilder.DEFAULT_ENGINE.name().toLowerCase(Locale.ROOT));
        assertThat(defaults.get(p + "concurrency").asInt()).isEqualTo(ParallelConsumerBuilder.DEFAULT_CONCURRENCY);
        assertThat(defaults.get(p + "resume-ratio").asDouble()).isEqualTo(ParallelConsumerBuilder.DEFAULT_RESUME_RATIO);
        assertThat(duration(defaults.get(p + "commit-interval")))
                .isEqualTo(ParallelConsumerBuilder.DEFAULT_COMMIT_INTERVAL);
        assertThat(duration(defaults.get(p + "poll-timeout"))).isEqualTo(ParallelConsumerBuilder.DEFAULT_POLL_TIMEOUT);
        assertThat(duration(defaults.get(p + "revoke-timeout")))
                .isEqualTo(ParallelConsumerBuilder.DEFAULT_REVOKE_TIMEOUT);
        assertThat(duration(defaults.get(p + "shutdown-timeout")))
                .isEqualTo(ParallelConsumerBuilder.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(defaults.get(p + "commit-metadata").asBoolean())
                .isEqualTo(ParallelConsumerBuilder.DEFAULT_COMMIT_METADATA);
        assertThat(defaults.get(p + "retry.max-attempts").asInt()).isEqualTo(ParallelConsumerBuilder.DEFAULT_MAX_ATTEMPTS);
        assertThat(duration(defaults.get(p + "retry.backoff.initial")))
                .isEqualTo(ParallelConsumerBuilder.DEFAULT_BACKOFF_INITIAL);
        assertThat(defaults.get(p + "retry.backoff.multiplier").asDouble())
                .isEqualTo(ParallelConsumerBuilder.DEFAULT_BACKOFF_MULTIPLIER);
        assertThat(duration(defaults.get(p + "retry.backoff.max"))).isEqualTo(ParallelConsumerBuilder.DEFAULT_BACKOFF_MAX);
        assertThat(defaults.get(p + "retry.backoff.jitter").asDouble())
                .isEqualTo(ParallelConsumerBuilder.DEFAULT_BACKOFF_JITTER);
        assertThat(defaults.get(p + "auto-startup").asBoolean()).isTrue();
        assertThat(defaults.get(p + "dead-letter.enabled").asBoolean()).isFalse();
        assertThat(defaults.get(p + "dead-letter.topic-suffix").asString())
                .isEqualTo(DeadLetterPublisher.Builder.DEFAULT_SUFFIX);
        assertThat(defaults.get(p + "dead-letter.same-partition").asBoolean()).isTrue();
        assertThat(defaults).as("max-in-flight follows the concurrency: its default is described, not a value")
                .doesNotContainKey(p + "max-in-flight");
    }

    private static Duration duration(JsonNode value) {
        return DurationStyle.detectAndParse(value.asString());
    }
}
