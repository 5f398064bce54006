package io.tunecho.config;

import io.tunecho.hosts.DelayTrace;
import io.tunecho.hosts.TraceText;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the {@code trace} setting: a file of round-trip times ({@link TraceText}'s formats), named alone
 * ({@code trace: rtt.txt}) or with what to take of it ({@code trace: {file: rtt.csv, column: rtt}},
 * {@code trace: {file: fping.txt, host: 198.18.0.10}}). The file is read once, when the configuration is loaded (a
 * reload reads it again). A relative name is taken from the folder of the file being loaded ({@link #from}: the
 * config file, a scenario file), else from the working directory (the admin API).
 */
final class TraceFiles {
    /** The folder that relative names start from while a file is being loaded on this thread. */
    private static final ThreadLocal<Path> FOLDER = new ThreadLocal<>();
    private static final List<String> KEYS = List.of("file", "column", "host");
    private static final ValueType<Path> FILE = ValueTypes.path();
    private static final ValueType<String> TEXT = ValueType.of("a name", text -> {
        if (text.isBlank()) {
            throw new IllegalArgumentException("is empty; give a name");
        }
        return text.trim();
    });

    static final ValueType<DelayTrace> TYPE = ValueType.ofTree(
            "a file of round-trip times in ms (FILE, {file: FILE, column: NAME} or {file: FILE, host: ADDRESS})",
            TraceFiles::read);

    private TraceFiles() {
    }

    /** What loading a file does; may throw as loading does. */
    @FunctionalInterface
    interface Load<T> {
        T run() throws ConfigException;
    }

    /** Runs {@code load} with relative trace files taken from the folder of {@code file}. */
    static <T> T from(Path file, Load<T> load) throws ConfigException {
        Path before = FOLDER.get();
        Path folder = file.getParent();
        FOLDER.set(folder == null ? Path.of("") : folder);
        try {
            return load.run();
        } finally {
            if (before == null) {
                FOLDER.remove();
            } else {
                FOLDER.set(before);
            }
        }
    }

    private static DelayTrace read(ConfigNode node, String label) throws ConfigException {
        Path file;
        String column = null;
        String host = null;
        String source;
        if (node instanceof ConfigNode.Mapping m) {
            for (String key : m.entries().keySet()) {
                if (!KEYS.contains(key)) {
                    throw new ConfigException(m.whereKey(key) + "unknown key '" + key + "' in " + label
                            + " (known keys: file, column, host)", label + "." + key);
                }
            }
            ConfigNode f = m.entries().get("file");
            if (f == null) {
                throw new ConfigException(m.where() + label + " needs 'file'", label + ".file");
            }
            file = FILE.read(f, label + ".file");
            if (m.entries().containsKey("column")) {
                column = TEXT.read(m.entries().get("column"), label + ".column");
            }
            if (m.entries().containsKey("host")) {
                host = TEXT.read(m.entries().get("host"), label + ".host");
            }
            source = "{file: " + file + (column != null ? ", column: " + column : "")
                    + (host != null ? ", host: " + host : "") + "}";
        } else {
            file = FILE.read(node, label);
            source = file.toString();
        }
        Path folder = FOLDER.get();
        Path path = folder == null ? file : folder.resolve(file);
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            return new DelayTrace(source, TraceText.parse(text, column, host));
        } catch (NoSuchFileException e) {
            throw new ConfigException(node.where() + label + ": cannot read " + path + ": no such file", label);
        } catch (IOException e) {
            throw new ConfigException(node.where() + label + ": cannot read " + path + ": " + e.getMessage(), label);
        } catch (TraceText.FormatException e) {
            throw new ConfigException(node.where() + label + ": " + path + (e.line() > 0 ? ":" + e.line() : "")
                    + ": " + e.getMessage(), label);
        }
    }
}
