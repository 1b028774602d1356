package io.parallelconsumer.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the repository's Grafana dashboard against a live scrape: valid PromQL, and only meters that exist. */
final class GrafanaDashboard {

    private static final Pattern METRIC = Pattern.compile("parallel_consumer_[a-z_]+");

    private GrafanaDashboard() {
    }

    static void check(Path dashboard, PrometheusScrape scrape) throws Exception {
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(dashboard));
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : root.get("panels")) {
            JsonNode targets = panel.get("targets");
            if (targets != null) {
                targets.forEach(target -> expressions.add(target.get("expr").asString()));
            }
        }
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);
        for (String expression : expressions) {
            Matcher metric = METRIC.matcher(expression);
            while (metric.find()) {
                assertThat(scrape.find(metric.group())).as("%s, used by the dashboard in %s", metric.group(),
                        expression).isNotEmpty();
            }
        }
        // promtool parses each query as a recording rule, once Grafana's variables are filled in.
        ObservabilityIT.assumePromtool();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            String query = expressions.get(i).replace("$listener", ".*").replace("$__rate_interval", "1m");
            rules.append("      - record: dashboard:query_").append(i).append('\n')
                    .append("        expr: '").append(query.replace("'", "''")).append("'\n");
        }
        Path file = Files.createTempFile("dashboard-rules", ".yml");
        try {
            Files.writeString(file, rules);
            ObservabilityIT.PromtoolResult result = ObservabilityIT.promtool("", "check",
                    "rules", file.toString());
            assertThat(result.exitCode()).as("promtool check rules said:\n" + result.output() + "\n" + rules)
                    .isZero();
        }
        finally {
            Files.deleteIfExists(file);
        }
    }
}
