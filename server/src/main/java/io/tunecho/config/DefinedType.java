package io.tunecho.config;

import java.util.function.Function;

/**
 * A {@link ValueType} made of its parts: what {@link ValueType#of} and {@link ValueType#ofTree} return.
 *
 * @param reader reads it from a config tree, or {@code null} to parse a single value
 */
record DefinedType<T>(String describe, Function<String, T> parser, Function<? super T, String> formatter,
                      ValueType.TreeReader<T> reader) implements ValueType<T> {
    @Override
    public T parse(String text) {
        return parser.apply(text);
    }

    @Override
    public T read(ConfigNode node, String name) throws ConfigException {
        return reader == null ? ValueType.super.read(node, name) : reader.read(node, name);
    }

    @Override
    public String format(T value) {
        return formatter.apply(value);
    }
}
