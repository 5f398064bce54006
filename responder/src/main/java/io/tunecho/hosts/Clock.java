package io.tunecho.hosts;

/** Where host behaviour reads the time: the system's monotonic clock, or a test's. */
@FunctionalInterface
public interface Clock {
    Clock SYSTEM = System::nanoTime;

    /** A monotonic time in nanoseconds ({@link System#nanoTime()}'s scale). */
    long nanoTime();
}
