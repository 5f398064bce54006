package io.tunecho.hosts;

import java.util.concurrent.TimeUnit;

/** A clock that moves only when a test says so. */
public final class ManualClock implements Clock {
    private long now = 1_000_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    public void advance(long amount, TimeUnit unit) {
        now += unit.toNanos(amount);
    }
}
