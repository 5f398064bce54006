package io.tunecho.config;

import java.util.List;
import java.util.Map;

/**
 * A configuration value as a tree, whatever it was read from (a YAML file, the command line, a JSON request body):
 * a scalar's text, a list, or a mapping with its keys in order. Each node knows where it came from
 * ({@link #where()}), so that an error can say "tunecho.yaml:12: " or "hosts[3].delay: ".
 */
public sealed interface ConfigNode {
    /** Where the node came from, as a message prefix ending in ": ", or "" when that says nothing. */
    String where();

    /** What kind of node this is, for messages: "a single value", "a list", "a mapping". */
    String kind();

    /** A single value: its text ({@code null} for YAML's null or an empty value). */
    record Scalar(String text, String where) implements ConfigNode {
        @Override
        public String kind() {
            return "a single value";
        }

        public boolean isNull() {
            return text == null;
        }
    }

    /** A list of nodes. */
    record Sequence(List<ConfigNode> items, String where) implements ConfigNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A mapping from plain keys to nodes, in the order written; each key with where it was written. */
    record Mapping(Map<String, ConfigNode> entries, Map<String, String> keyWhere, String where)
            implements ConfigNode {
        @Override
        public String kind() {
            return "a mapping";
        }

        /** Where the key was written (for an error about the key itself). */
        public String whereKey(String key) {
            return keyWhere.getOrDefault(key, where);
        }
    }
}
