package io.tunecho.packet;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.tunecho.hosts.Clock;

import java.util.concurrent.TimeUnit;

/**
 * One timer on a channel's event loop that wakes its stage for the earliest of many deadlines: the stage asks it to
 * {@linkplain #wakeBy wake by} each new deadline, and it is set again only when that deadline comes before the one
 * it is set for. When it fires it is no longer set, and the task sets it for the next deadline, if any. Deadlines
 * are {@link Clock#nanoTime()}s. Not thread-safe: it belongs to the event loop it schedules on.
 */
public final class DeadlineTimer {
    private final Clock clock;
    private final Runnable fire;
    private ScheduledFuture<?> future;
    private long deadline;

    /** @param task what runs at the deadline, on the event loop */
    public DeadlineTimer(Clock clock, Runnable task) {
        this.clock = clock;
        this.fire = () -> {
            future = null;
            task.run();
        };
    }

    /** Makes the timer fire at {@code deadline} at the latest: sets it unless it is set for that time or before. */
    public void wakeBy(EventExecutor executor, long deadline) {
        if (future != null) {
            if (deadline - this.deadline >= 0) {
                return;
            }
            future.cancel(false);
        }
        this.deadline = deadline;
        future = executor.schedule(fire, Math.max(0, deadline - clock.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** The time it was last set for: while its task runs, the deadline it fired for. */
    public long deadline() {
        return deadline;
    }

    /** Stops the timer, if it is set. */
    public void cancel() {
        if (future != null) {
            future.cancel(false);
            future = null;
        }
    }
}
