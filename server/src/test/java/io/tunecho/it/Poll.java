package io.tunecho.it;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Waiting for a condition rather than for a time: reads a value until it is as wanted or a deadline passes, and
 * hands back the last one read, which the caller asserts (so that a failure shows what was seen).
 */
final class Poll {
    private static final long PAUSE_MILLIS = 50;

    private Poll() {
    }

    /** A value read from outside (a command's output, a metric), which may throw. */
    @FunctionalInterface
    interface Read<T> {
        T get() throws Exception;
    }

    /** Reads {@code value} until {@code wanted} accepts it or {@code seconds} have passed; returns the last read. */
    static <T> T until(long seconds, Read<T> value, Predicate<? super T> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        T v = value.get();
        while (!wanted.test(v) && System.nanoTime() - deadline < 0) {
            Thread.sleep(PAUSE_MILLIS);
            v = value.get();
        }
        return v;
    }
}
