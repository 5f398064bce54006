package io.tunecho.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tunecho.config.CommandLine;
import io.tunecho.config.ConfigException;
import io.tunecho.config.ConfigLoader;
import io.tunecho.config.ConfigNode;
import io.tunecho.config.HostKeys;
import io.tunecho.config.TunechoConfig;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration's readers on arbitrary input: a YAML file, a command line, an admin API request body. The only
 * failure allowed is a {@link ConfigException} (a one-line message for the user); a configuration that validates
 * must also build its host table.
 */
class ConfigFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void yamlFile(String yaml) {
        if (yaml == null) {
            return; // Jazzer passes null as one of its inputs; a file always has text
        }
        try {
            TunechoConfig c = ConfigLoader.load(yaml, "fuzz.yaml", TunechoConfig.defaults());
            c.validate();
            buildOrRefuse(c);
        } catch (ConfigException expected) {
            assertOneLine(expected);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void commandLine(FuzzedDataProvider data) {
        List<String> args = new ArrayList<>();
        int n = data.consumeInt(0, 8);
        for (int i = 0; i < n; i++) {
            args.add(data.consumeBoolean() ? data.pickValue(OPTIONS) : data.consumeString(40));
        }
        try {
            CommandLine cli = CommandLine.parse(args.toArray(new String[0]));
            if (cli.config() != null) {
                buildOrRefuse(cli.config());
            }
        } catch (ConfigException expected) {
            assertOneLine(expected);
        }
    }

    private static final String[] OPTIONS = {"--interface", "--address", "--address6", "--mtu", "--queues",
        "--transport", "--answer", "--seed", "--user", "--http", "--capture", "--txqueuelen", "--check", "--help",
        "--version", "--config", "198.18.0.1/24", "fd00::1/64", "10.0.0.0/8", "1500", "io_uring", "-x", "="};

    /** An admin API body: JSON-like trees of any shape, read as host settings. */
    @FuzzTest(maxDuration = "15s")
    void apiBody(FuzzedDataProvider data) {
        ConfigNode body = node(data, 0);
        try {
            HostKeys.readSettings(body, "", List.of("for", "profile"));
        } catch (ConfigException expected) {
            assertOneLine(expected);
        }
    }

    private static final String[] KEYS = {"state", "ttl", "delay", "jitter", "distribution", "reorder", "loss", "p",
        "r", "duplicate", "corrupt", "rate", "gateway", "hops", "any", "by", "timeline", "repeat", "steps", "for",
        "profile", "x"};

    private static ConfigNode node(FuzzedDataProvider data, int depth) {
        int kind = depth > 3 ? 0 : data.consumeInt(0, 2);
        if (kind == 0) {
            return new ConfigNode.Scalar(data.consumeBoolean() ? null : data.consumeString(20), "");
        }
        if (kind == 1) {
            List<ConfigNode> items = new ArrayList<>();
            int n = data.consumeInt(0, 4);
            for (int i = 0; i < n; i++) {
                items.add(node(data, depth + 1));
            }
            return new ConfigNode.Sequence(items, "");
        }
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        int n = data.consumeInt(0, 5);
        for (int i = 0; i < n; i++) {
            entries.put(data.pickValue(KEYS), node(data, depth + 1));
        }
        return new ConfigNode.Mapping(entries, Map.of(), "");
    }

    private static void buildOrRefuse(TunechoConfig c) {
        try {
            HostTable.build(c.hostConfig(), null, Clock.SYSTEM);
        } catch (IllegalArgumentException refused) {
            // the builder's own refusals (an undefined profile, a gateway not answered): a message with its source
            if (refused.getMessage() == null || refused.getMessage().contains("\n")) {
                throw refused;
            }
        }
    }

    private static void assertOneLine(ConfigException e) {
        if (e.getMessage() == null || e.getMessage().isBlank() || e.getMessage().contains("\n")) {
            throw new AssertionError("not a one-line message: " + e.getMessage(), e);
        }
    }
}
