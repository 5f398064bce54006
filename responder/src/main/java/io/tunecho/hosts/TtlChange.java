package io.tunecho.hosts;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A reply TTL that changes over time ({@code ttl-change}), as after a route change: the values in turn, each held
 * for {@code every}, from the moment the host's entry was loaded (its timeline's origin), round and round.
 * Immutable.
 *
 * @param everyNanos how long each value holds, more than 0
 * @param values     the TTLs (1..255) in order, at least one
 */
public record TtlChange(long everyNanos, List<Integer> values) {
    public TtlChange {
        if (everyNanos <= 0) {
            throw new IllegalArgumentException("every must be longer than 0");
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("values must list at least one TTL");
        }
        for (int v : values) {
            if (v < 1 || v > 255) {
                throw new IllegalArgumentException("a TTL is 1..255, not " + v);
            }
        }
        values = List.copyOf(values);
    }

    /** The values as an array, for reading per packet without unboxing. */
    int[] toArray() {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    /** As the config file writes it: {@code {every: 600s, values: [64, 57]}}. */
    @Override
    public String toString() {
        return "{every: " + Durations.format(everyNanos) + ", values: "
                + values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]")) + "}";
    }
}
