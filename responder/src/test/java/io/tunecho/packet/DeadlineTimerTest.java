package io.tunecho.packet;

import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeadlineTimerTest {
    private final ManualClock clock = new ManualClock();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private int fired;
    private long next = -1;
    private final DeadlineTimer timer = new DeadlineTimer(clock, this::fire);

    private void fire() {
        fired++;
        if (next >= 0) {
            timer.wakeBy(channel.eventLoop(), next);
            next = -1;
        }
    }

    @BeforeEach
    void freeze() {
        channel.freezeTime();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void advanceMillis(long millis) {
        clock.advance(millis, TimeUnit.MILLISECONDS);
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private long inMillis(long millis) {
        return clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void firesOnceAtTheEarliestDeadline() {
        timer.wakeBy(channel.eventLoop(), inMillis(10));
        timer.wakeBy(channel.eventLoop(), inMillis(5)); // earlier: set again
        timer.wakeBy(channel.eventLoop(), inMillis(7)); // later: stays at 5 ms
        advanceMillis(4);
        assertEquals(0, fired);
        advanceMillis(1);
        assertEquals(1, fired, "at the earliest deadline");
        advanceMillis(20);
        assertEquals(1, fired, "one timer: the later deadlines set none of their own");
    }

    @Test
    void isSetAgainForTheNextDeadlineOnceItFired() {
        timer.wakeBy(channel.eventLoop(), inMillis(3));
        next = inMillis(3 + 8);
        advanceMillis(3);
        assertEquals(1, fired);
        advanceMillis(7);
        assertEquals(1, fired);
        advanceMillis(1);
        assertEquals(2, fired, "the task set it for its next deadline");
    }

    @Test
    void aDeadlineThatHasPassedFiresAtOnce() {
        timer.wakeBy(channel.eventLoop(), clock.nanoTime() - 1);
        channel.runScheduledPendingTasks();
        assertEquals(1, fired);
    }

    @Test
    void cancelStopsIt() {
        timer.wakeBy(channel.eventLoop(), inMillis(2));
        timer.cancel();
        advanceMillis(5);
        assertEquals(0, fired);
        timer.wakeBy(channel.eventLoop(), inMillis(2));
        advanceMillis(2);
        assertEquals(1, fired, "set again after a cancel");
    }
}
