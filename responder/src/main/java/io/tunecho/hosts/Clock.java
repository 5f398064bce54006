package io.tunecho.hosts;

/**
 * Where the packet path reads the time: the system's clocks, or a test's. {@link #nanoTime()} measures (delays,
 * time-outs, rates, timelines); {@link #currentTimeMillis()} tells the time of day (when a host was last probed, the
 * IPv4 Timestamp option).
 */
@FunctionalInterface
public interface Clock {
    Clock SYSTEM = System::nanoTime;

    /** A monotonic time in nanoseconds ({@link System#nanoTime()}'s scale). */
    long nanoTime();

    /** The wall-clock time in milliseconds since the epoch ({@link System#currentTimeMillis()}'s scale). */
    default long currentTimeMillis() {
        return System.currentTimeMillis();
    }
}
