package io.tunecho.hosts;

import java.util.concurrent.TimeUnit;

/** A clock that moves only when a test says so: {@link #advance} moves its monotonic and its wall-clock time alike. */
public final class ManualClock implements Clock {
    private long now = 1_000_000_000_000L;
    /** The wall-clock time, less the monotonic time in milliseconds. */
    private long wallOffsetMillis = 1_700_000_000_000L - now / 1_000_000;
    private long step;

    @Override
    public long nanoTime() {
        long t = now;
        now += step;
        return t;
    }

    /** From now on each reading of {@link #nanoTime()} moves the clock on by {@code nanos} (0: it stands still). */
    public void autoAdvance(long nanos) {
        step = nanos;
    }

    @Override
    public long currentTimeMillis() {
        return wallOffsetMillis + now / 1_000_000;
    }

    public void advance(long amount, TimeUnit unit) {
        now += unit.toNanos(amount);
    }

    /** Sets the wall-clock time; from then on it moves with {@link #advance}. */
    public void setCurrentTimeMillis(long millis) {
        wallOffsetMillis = millis - now / 1_000_000;
    }
}
