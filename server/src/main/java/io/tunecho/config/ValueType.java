package io.tunecho.config;

import java.util.function.Function;

/**
 * How a setting's value is written and checked: one definition, used by the YAML loader, the command line and the
 * help text alike. {@link #of} defines one from a parser; {@link #ofTree} one that only a config tree holds (a list,
 * a mapping).
 *
 * @param <T> the value's type
 */
public interface ValueType<T> {
    /**
     * Parses a value from its text.
     *
     * @throws IllegalArgumentException with the reason, written to follow the setting's name, e.g.
     *                                  {@code "'abc' is not a number; give 1..64"}
     */
    T parse(String text);

    /**
     * Reads a value from a config tree. Scalars by default; types of lists and mappings override this.
     *
     * @param name the setting's name as the user wrote it, for messages
     * @throws ConfigException naming where and what is wrong
     */
    default T read(ConfigNode node, String name) throws ConfigException {
        if (!(node instanceof ConfigNode.Scalar)) {
            throw new ConfigException(node.where() + name + " must be a single value, not " + node.kind(), name);
        }
        ConfigNode.Scalar scalar = (ConfigNode.Scalar) node;
        if (scalar.isNull()) {
            throw new ConfigException(node.where() + name + " has no value; give " + describe(), name);
        }
        try {
            return parse(scalar.text());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(node.where() + name + " " + e.getMessage(), name);
        }
    }

    /** What valid values look like, for help and messages: {@code "1..64"}, {@code "epoll or io_uring"}. */
    String describe();

    /** How a value is written back (in help and logs). */
    default String format(T value) {
        return String.valueOf(value);
    }

    /** Reads a value from a config tree; what {@link #read} does for a type of lists or mappings. */
    @FunctionalInterface
    interface TreeReader<T> {
        T read(ConfigNode node, String name) throws ConfigException;
    }

    /**
     * A type of single values, written back with {@code toString()}.
     *
     * @param describe what valid values look like
     * @param parser   reads a value from its text; throws {@link IllegalArgumentException} as {@link #parse} does
     */
    static <T> ValueType<T> of(String describe, Function<String, T> parser) {
        return of(describe, parser, String::valueOf);
    }

    /** A type of single values, written back with {@code formatter}. */
    static <T> ValueType<T> of(String describe, Function<String, T> parser, Function<? super T, String> formatter) {
        return new DefinedType<>(describe, parser, formatter, null);
    }

    /** A type that only a config tree holds: its text alone is refused ("must be " + {@code describe}). */
    static <T> ValueType<T> ofTree(String describe, TreeReader<T> reader) {
        return new DefinedType<>(describe, text -> {
            throw new IllegalArgumentException("must be " + describe);
        }, String::valueOf, reader);
    }
}
