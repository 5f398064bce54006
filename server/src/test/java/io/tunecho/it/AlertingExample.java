package io.tunecho.it;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The files of {@code examples/alerting/}, read as YAML so that a test runs the example itself and changes only
 * the values it needs otherwise (an interface name, intervals, a webhook's address), by key.
 */
final class AlertingExample {
    /** The example's folder (the namespace tests run with the repository's root as working directory). */
    static final Path DIR = Path.of("examples", "alerting");

    private AlertingExample() {
    }

    /** One of the example's files as nested maps and lists, each call a fresh copy to change. */
    static Map<String, Object> load(String file) {
        try {
            Map<String, Object> yaml = new Yaml().load(Files.readString(DIR.resolve(file)));
            assertNotNull(yaml, file + " is empty");
            return yaml;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Map<String, Object> yaml, Path file) throws IOException {
        Files.writeString(file, dump(yaml));
    }

    /** YAML text, in block style. */
    static String dump(Map<String, Object> yaml) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(yaml);
    }

    /**
     * The example's tunecho config on another interface (each namespace test has its own name), without its
     * {@code scenario} section: a test adds the scenario it runs.
     */
    static Map<String, Object> tunecho(String interfaceName) {
        Map<String, Object> config = load("tunecho.yaml");
        config.remove("scenario"); // the chain's test takes hosts down itself, and tunecho runs on
        map(config, "interface").put("name", interfaceName);
        return config;
    }

    /** The example's API token (tunecho.yaml's http.token, which alertmanager.yml sends). */
    static String token() {
        return (String) map(load("tunecho.yaml"), "http").get("token");
    }

    /** The base address of the example's HTTP server: http://127.0.0.1:PORT. */
    static String httpBase() {
        Map<String, Object> http = map(load("tunecho.yaml"), "http");
        return "http://" + http.get("address") + ":" + http.get("port");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, "no '" + key + "' in " + parent.keySet());
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, "no '" + key + "' in " + parent.keySet());
        return (List<Object>) value;
    }
}
