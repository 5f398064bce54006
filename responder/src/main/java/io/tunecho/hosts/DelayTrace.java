package io.tunecho.hosts;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A recorded series of round-trip times (the {@code trace} setting), read once when the configuration is loaded:
 * the replies of a host take its values in order, looping, one series position per address. Immutable: the values
 * are copied in and never handed out. Written as the config file names it: the file, or
 * {@code {file: F, column: C}} / {@code {file: F, host: H}} when it picks a column or a host's line.
 */
public final class DelayTrace {
    private final String source;
    private final long[] nanos;

    /**
     * @param source how the config file names it ({@code trace.txt}, {@code {file: rtt.csv, column: rtt}})
     * @param nanos  the values in nanoseconds, in order; at least one, none negative
     */
    public DelayTrace(String source, long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("a trace needs at least one value");
        }
        for (long n : nanos) {
            if (n < 0) {
                throw new IllegalArgumentException("a trace's values cannot be negative");
            }
        }
        this.source = source;
        this.nanos = nanos.clone();
    }

    /** How many values the trace holds. */
    public int length() {
        return nanos.length;
    }

    /** The value at {@code position}, taken modulo the length (a cursor may have been kept from another trace). */
    public long nanosAt(int position) {
        return nanos[Math.floorMod(position, nanos.length)];
    }

    /** A value drawn uniformly from the trace (where no order is kept, e.g. a router on the way). */
    public long anyNanos(RandomGenerator random) {
        return nanos[random.nextInt(nanos.length)];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DelayTrace && ((DelayTrace) o).source.equals(source)
                && Arrays.equals(((DelayTrace) o).nanos, nanos);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + Arrays.hashCode(nanos);
    }

    @Override
    public String toString() {
        return source;
    }
}
