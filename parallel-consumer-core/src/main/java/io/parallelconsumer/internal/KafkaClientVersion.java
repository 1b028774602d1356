package io.parallelconsumer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, when a consumer is built, that the kafka-clients on the class path has what the core calls: an older
 * client would process records and then fail on the poller thread at close ({@code NoClassDefFoundError:
 * CloseOptions}), after the work and before the final commit. Tested with 4.1.2, 4.2.1 and 4.4.0.
 */
public final class KafkaClientVersion {

    /** What the README's compatibility table says, for messages. */
    public static final String SUPPORTED = "4.1.0 or later 4.x (tested with 4.1.2, 4.2.1 and 4.4.0)";

    private static final Logger log = LoggerFactory.getLogger(KafkaClientVersion.class);
    private static final String VERSION_FILE = "/kafka/kafka-version.properties";
    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");
    /** Classes the core uses that came with the oldest supported client. */
    private static final String[] REQUIRED_CLASSES = { "org.apache.kafka.clients.consumer.CloseOptions" };

    private KafkaClientVersion() {
    }

    /** A problem with the client on the class path, or {@code null} if it is supported; looked at once. */
    public static String problem() {
        return Checked.PROBLEM;
    }

    /** The class path does not change: the first consumer built checks it for all. */
    private static final class Checked {
        static final String PROBLEM = problem(version(), ConsumerConfig.class.getClassLoader());
    }

    /**
     * The version of the kafka-clients jar that holds {@link ConsumerConfig}, from the file it carries (the class
     * that reads it, {@code AppInfoParser}, moved to another package in 4.4); "unknown" if it cannot be read.
     */
    public static String version() {
        try (InputStream in = ConsumerConfig.class.getResourceAsStream(VERSION_FILE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown").trim();
        }
        catch (IOException ex) {
            return "unknown";
        }
    }

    static String problem(String version, ClassLoader classLoader) {
        Matcher matcher = MAJOR_MINOR.matcher(version == null ? "" : version);
        if (matcher.find()) {
            int major = Integer.parseInt(matcher.group(1));
            int minor = Integer.parseInt(matcher.group(2));
            if (major < 4 || major == 4 && minor < 1) {
                return unsupported(version, "it is older than 4.1");
            }
            if (major > 4) {
                log.warn("kafka-clients {} is newer than the versions this parallel consumer was tested with ({})",
                        version, SUPPORTED);
            }
        }
        for (String required : REQUIRED_CLASSES) {
            try {
                Class.forName(required, false, classLoader);
            }
            catch (ClassNotFoundException | LinkageError ex) {
                return unsupported(version, "it has no " + required);
            }
        }
        return null;
    }

    private static String unsupported(String version, String why) {
        return "kafka-clients " + version + " is on the class path, but " + why + "; the parallel consumer needs "
                + SUPPORTED + ". Depend on a supported org.apache.kafka:kafka-clients (with Spring Boot, set the "
                + "kafka.version property)";
    }
}
