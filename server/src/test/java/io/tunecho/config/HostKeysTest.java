package io.tunecho.config;

import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every host setting, enumerated: documented, read as the admin API reads a body, written back as it was read. */
class HostKeysTest {
    /** A valid value of each setting, other than its built-in default, as a file or a request would write it. */
    private static final Map<String, String> SAMPLES = Map.ofEntries(
            entry("state", "unreachable"),
            entry("ttl", "128"),
            entry("delay", "120ms"),
            entry("jitter", "1.5ms"),
            entry("distribution", "pareto"),
            entry("p99", "20ms"),
            entry("trace", "config/trace-ramp.txt"),
            entry("reorder", "true"),
            entry("loss", "{p: 2%, r: 40%}"),
            entry("duplicate", "1%"),
            entry("corrupt", "0.5%"),
            entry("rate", "2.5"),
            entry("gateway", "198.18.0.253"),
            entry("hops", "[198.18.71.1, {any: [198.18.72.1, 198.18.72.2], by: packet}, 198.18.73.1]"),
            entry("tcp", "{open: [22, 80, 443]}"),
            entry("reply-from", "198.18.0.99"),
            entry("identifier", "rewrite"),
            entry("sequence", "stale"),
            entry("late", "{p: 10%, by: 3s}"),
            entry("ttl-change", "{every: 600s, values: [64, 57]}"),
            entry("echo-id-filter", "{after: 60s, idle: 30s}"),
            entry("timeline", "{repeat: true, steps: [{for: 4s, state: up}, {for: 2s, state: down, delay: 5ms}]}"));

    /** What the admin API's {@code PUT /api/hosts/MATCH} reads from its body. */
    private static HostSettings readBody(String key, String value) throws ConfigException {
        ConfigNode body = YamlTree.parse("{" + key + ": " + value + "}", "body");
        return HostKeys.readSettings(body, "", List.of("for", "profile"));
    }

    private static List<String> keys() {
        return HostSetting.ALL.stream().map(HostSetting::key).toList();
    }

    @Test
    void everySettingHasASampleHere() {
        assertEquals(keys().stream().sorted().toList(), SAMPLES.keySet().stream().sorted().toList(),
                "a new host setting needs a sample value in this test");
    }

    @Test
    void theServerReadsEverySettingInOrder() {
        assertEquals(HostSetting.ALL, HostKeys.KEYS.stream().map(HostKeys.Key::setting).toList());
    }

    @Test
    void theShippedFileDocumentsEverySetting() throws Exception {
        String text = Files.readString(Path.of("config/tunecho.yaml"));
        for (String key : keys()) {
            assertTrue(text.contains("\n#   " + key + ":"), "config/tunecho.yaml does not document the host setting "
                    + key);
        }
    }

    @Test
    void theAdminApiReadsEverySettingAndWritesItBackAsRead() throws Exception {
        for (HostSetting<?> s : HostSetting.ALL) {
            HostSettings read = readBody(s.key(), SAMPLES.get(s.key()));
            assertNotNull(read.get(s), s.key());
            assertNotEquals(s.builtIn(), read.get(s), s.key() + ": the sample should differ from the default");
            Map<String, String> described = read.describe();
            assertEquals(List.of(s.key()), List.copyOf(described.keySet()), s.key() + " sets just itself");
            assertEquals(read, readBody(s.key(), described.get(s.key())),
                    s.key() + ": written back as " + described.get(s.key()) + ", it reads as something else");
        }
    }

    @Test
    void everySettingTogetherRoundTrips() throws Exception {
        String all = SAMPLES.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        HostSettings read = HostKeys.readSettings(YamlTree.parse(all, "body"), "", List.of());
        assertEquals(keys(), List.copyOf(read.describe().keySet()), "describe() follows HostSetting.ALL's order");
        String again = read.describe().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        assertEquals(read, HostKeys.readSettings(YamlTree.parse(again, "body"), "", List.of()));
    }
}
