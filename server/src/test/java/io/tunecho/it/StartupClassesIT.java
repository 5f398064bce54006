package io.tunecho.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start without a config file or an HTTP server loads only what answering needs: none of the HTTP server, the
 * metrics, JSON or YAML, nor the drills' classes, as the JVM's class loading log shows once it answers ping.
 */
class StartupClassesIT {
    private static final List<String> NOT_LOADED = List.of("io.netty.handler.codec.http.", "io.micrometer.",
            "io.prometheus.", "com.fasterxml.jackson.", "org.yaml.snakeyaml.", "io.tunecho.http.",
            "io.tunecho.drill.");
    private static final Pattern LOADED = Pattern.compile("(?m)\\[class,load\\] (\\S+) ");

    @Test
    void theDefaultStartLoadsNoHttpMetricsJsonOrYamlClasses(@TempDir Path dir) throws Exception {
        Netns.assertPrivateNamespace();
        Path log = dir.resolve("classes.log");
        try (TunechoProcess t = TunechoProcess.startWithJvmOptions(List.of("-Xlog:class+load=info:file=" + log),
                "--interface", "tunit31", "--address", "198.18.31.1/24")) {
            PingOutput p = PingOutput.parse(Netns.run(30, "ping", "-n", "-c", "2", "-i", "0.2", "-W", "2",
                    "198.18.31.7").output());
            assertEquals(2, p.received(), p.text());
            Matcher m = LOADED.matcher(Files.readString(log));
            List<String> classes = new java.util.ArrayList<>();
            while (m.find()) {
                classes.add(m.group(1));
            }
            assertTrue(classes.contains("io.tunecho.proto.IcmpEchoResponder"), "the log lists the classes loaded");
            List<String> unwanted = classes.stream().filter(c -> NOT_LOADED.stream().anyMatch(c::startsWith))
                    .collect(Collectors.toList());
            assertEquals(List.of(), unwanted, "classes a default start does not use");
        }
    }
}
