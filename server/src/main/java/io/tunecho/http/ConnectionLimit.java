package io.tunecho.http;

import io.tunecho.hosts.Clock;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The admin server's open connections, at most {@code max} at once, so that many clients cannot take its memory.
 * When one more arrives, the connection that has been idle longest with no request in progress is closed to make room
 * (and counted): clients that only hold connections open cannot lock out the health check, the scrape of
 * {@code /metrics} or a webhook. Only when every connection has a request in progress is the new one refused.
 *
 * <p>The connections must all be on one event loop (the admin server has one): this state is that loop's alone.
 */
final class ConnectionLimit {
    private final int max;
    private final Clock clock;
    private final Set<ConnectionActivity> open = new HashSet<>();
    /** Written on the event loop, read by a scrape. */
    private final AtomicLong evicted = new AtomicLong();

    ConnectionLimit(int max, Clock clock) {
        this.max = max;
        this.clock = clock;
    }

    /** The time on which connections' activity is compared (nanoseconds). */
    long now() {
        return clock.nanoTime();
    }

    /**
     * Admits a new connection, closing the longest-idle connection without a request in progress if the server is
     * full; {@code false} if every connection has a request in progress, and the new one must be refused.
     */
    boolean admit(ConnectionActivity connection) {
        if (open.size() >= max) {
            ConnectionActivity victim = longestIdle();
            if (victim == null) {
                return false;
            }
            // Out of the set at once: the channel's inactive event follows later.
            open.remove(victim);
            victim.close();
            evicted.incrementAndGet();
        }
        open.add(connection);
        return true;
    }

    /** A connection closed (by either side, or evicted: this may come twice). */
    void closed(ConnectionActivity connection) {
        open.remove(connection);
    }

    private ConnectionActivity longestIdle() {
        ConnectionActivity oldest = null;
        for (ConnectionActivity c : open) {
            if (!c.busy() && (oldest == null || c.lastActive() - oldest.lastActive() < 0)) {
                oldest = c;
            }
        }
        return oldest;
    }

    /** The connections open now. */
    int open() {
        return open.size();
    }

    /** How many idle connections were closed to admit new ones. */
    long evicted() {
        return evicted.get();
    }
}
