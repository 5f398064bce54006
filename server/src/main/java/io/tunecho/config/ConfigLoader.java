package io.tunecho.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code tunecho.yaml} over a base configuration. Strict: the keys are exactly those of {@link Settings}
 * (an unknown or duplicate key is an error), each value is checked by its setting's type, and every error names the
 * file, the line and the fix.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** Loads a file over {@code base}. */
    public static TunechoConfig load(Path file, TunechoConfig base) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("cannot read config " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException("cannot read config " + file + ": " + e.getMessage());
        }
        return TraceFiles.from(file, () -> load(text, file.toString(), base));
    }

    /**
     * Loads YAML text over {@code base}; {@code source} names it in messages. Files it names (a host's trace) are
     * taken from the working directory; {@link #load(Path, TunechoConfig)} takes them from the file's folder.
     */
    public static TunechoConfig load(String yaml, String source, TunechoConfig base) throws ConfigException {
        ConfigNode root = YamlTree.parse(yaml, source);
        if (root == null || root instanceof ConfigNode.Scalar && ((ConfigNode.Scalar) root).isNull()) {
            return base; // an empty file: nothing changes
        }
        return bind(root, "", base);
    }

    /** Sets every setting that the tree under {@code section} gives. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TunechoConfig bind(ConfigNode node, String section, TunechoConfig config) throws ConfigException {
        Map<String, Object> known = Settings.section(section);
        String what = section.isEmpty() ? "the top level" : section;
        if (!(node instanceof ConfigNode.Mapping)) {
            if (node instanceof ConfigNode.Scalar && ((ConfigNode.Scalar) node).isNull()) {
                return config; // "interface:" with nothing under it
            }
            throw new ConfigException(node.where() + what + " must be a mapping of " + String.join(", ",
                    known.keySet()) + ", not " + node.kind());
        }
        ConfigNode.Mapping mapping = (ConfigNode.Mapping) node;
        for (Map.Entry<String, ConfigNode> e : mapping.entries().entrySet()) {
            String key = e.getKey();
            Object target = known.get(key);
            if (target == null) {
                throw new ConfigException(mapping.whereKey(key) + "unknown key '" + key + "' in " + what
                        + " (known keys: " + String.join(", ", new ArrayList<>(known.keySet())) + ")");
            }
            if (target instanceof Setting) {
                Setting s = (Setting) target;
                ConfigNode value = e.getValue();
                Object v = s.type().read(value, s.key());
                config = config.with(s, v, value.where() + s.key());
            } else {
                config = bind(e.getValue(), (String) target, config);
            }
        }
        return config;
    }

    /** The keys the loader accepts, dotted, in order: for the test that checks the documented file. */
    static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Setting<?> s : Settings.ALL) {
            keys.add(s.key());
        }
        return keys;
    }
}
