package io.parallelconsumer.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/configuration.md} what the configuration metadata says - the same descriptions and defaults that
 * IDEs show - so that the reference is written once, in the properties' Javadoc. When a property changes, run this
 * test with {@code -Dconfiguration-reference.write=true} to rewrite the file, and commit it.
 */
class ConfigurationReferenceTests {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
    private static final Path REFERENCE = Path.of("../docs/configuration.md");
    private static final Pattern CODE = Pattern.compile("\\{@(?:code|literal) ([^}]*)}");
    private static final Pattern LINK = Pattern.compile("\\{@link(?:plain)? (?:[\\w.]*[.#])?([^} ]+)(?: ([^}]*))?}");

    /** Sections of the reference, by the longest prefix their properties start with. */
    private static final Map<String, String> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("parallel-consumer.", "Listeners");
        SECTIONS.put("parallel-consumer.health.", "Health");
        SECTIONS.put("management.health.parallelconsumers.", "Health");
        SECTIONS.put("management.endpoint.parallelconsumers.", "The parallelconsumers endpoint");
        SECTIONS.put("parallel-consumer.admin.reset.", "Resetting Kafka");
    }

    @Test
    void referenceMatchesTheConfigurationMetadata() throws IOException {
        String expected = render(JsonMapper.builder().build().readTree(METADATA.toFile()));
        if (Boolean.getBoolean("configuration-reference.write")) {
            Files.writeString(REFERENCE, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
                .as("%s is out of date: rerun this test with -Dconfiguration-reference.write=true", REFERENCE)
                .isEqualTo(expected);
    }

    @Test
    void everyPropertyIsDocumented() throws IOException {
        List<String> undocumented = new ArrayList<>();
        for (JsonNode property : JsonMapper.builder().build().readTree(METADATA.toFile()).get("properties")) {
            if (!property.hasNonNull("description") || property.get("description").asString().isBlank()) {
                undocumented.add(property.get("name").asString());
            }
        }
        assertThat(undocumented).as("properties without Javadoc").isEmpty();
    }

    private static String render(JsonNode metadata) {
        Map<String, List<JsonNode>> bySection = new LinkedHashMap<>();
        SECTIONS.values().forEach(section -> bySection.putIfAbsent(section, new ArrayList<>()));
        List<JsonNode> properties = new ArrayList<>();
        metadata.get("properties").forEach(properties::add);
        properties.sort(Comparator.comparing(property -> property.get("name").asString()));
        for (JsonNode property : properties) {
            String section = section(property.get("name").asString());
            if (section != null) {
                bySection.get(section).add(property);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n");
        out.append("Every property of the starter, with its default. Generated from the configuration metadata (the "
                + "same text\nyour IDE shows) by `ConfigurationReferenceTests`; do not edit by hand. Connection, "
                + "security and\nserialization come from Spring Boot's `spring.kafka.*` (the consumer section).\n\n");
        out.append("Precedence, highest first: `parallel-consumer.listeners.<id>.*`, the annotation's attributes, "
                + "`parallel-consumer.*`,\nthe library's defaults. Invalid values, and settings for a listener id "
                + "that does not exist, stop the\napplication at startup naming the property.\n");
        bySection.forEach((section, rows) -> {
            if (rows.isEmpty()) {
                return;
            }
            out.append("\n## ").append(section).append("\n\n");
            if (section.equals("Listeners")) {
                out.append("Every key of this section but `listeners` can also be set for one listener, under "
                        + "`parallel-consumer.listeners.<id>.`\n(for example `parallel-consumer.listeners.orders.retry."
                        + "max-attempts`). The flat per-listener keys of earlier\nversions, `listeners.<id>.max-attempts` "
                        + "and `listeners.<id>.backoff.*`, still bind, deprecated, with a warning at\nstartup.\n\n");
            }
            out.append("| property | type | default | description |\n|---|---|---|---|\n");
            for (JsonNode property : rows) {
                out.append("| `").append(property.get("name").asString()).append("` | ")
                        .append(type(property)).append(" | ")
                        .append(defaultValue(property)).append(" | ")
                        .append(description(property)).append(" |\n");
            }
        });
        return out.toString();
    }

    private static String section(String name) {
        String best = null;
        for (String prefix : SECTIONS.keySet()) {
            if (name.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? null : SECTIONS.get(best);
    }

    private static String type(JsonNode property) {
        String type = property.path("type").asString("");
        // java.util.Map<java.lang.String,a.b.C$D> -> Map<String,D>
        return type.isEmpty() ? "" : type.replaceAll("[\\w.]*[.$](\\w+)", "$1");
    }

    private static String defaultValue(JsonNode property) {
        JsonNode value = property.get("defaultValue");
        if (value == null || value.isNull()) {
            return "";
        }
        return "`" + (value.isArray() ? String.join(",", value.valueStream().map(JsonNode::asString).toList())
                : value.asString()) + "`";
    }

    private static String description(JsonNode property) {
        String text = property.path("description").asString("").replace("\n", " ").replace("|", "\\|");
        text = CODE.matcher(text).replaceAll(match -> Matcher.quoteReplacement("`" + match.group(1) + "`"));
        text = LINK.matcher(text).replaceAll(match -> Matcher.quoteReplacement(
                match.group(2) != null ? match.group(2) : "`" + match.group(1) + "`"));
        JsonNode deprecation = property.get("deprecation");
        if (deprecation != null) {
            String replacement = deprecation.path("replacement").asString("");
            text = "Deprecated" + (replacement.isEmpty() ? "" : ": use `" + replacement + "`") + ". " + text;
        }
        return text;
    }
}
