package io.tunecho.hosts;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened at one host entry: requests, replies, and drops by reason, and when it was last probed. Requests and
 * replies, counted for every packet from every event loop, are {@link LongAdder}s (no contention); the rarer
 * outcomes share one array of atomics, so that an entry costs a few objects (a table may hold 10,000 entries).
 * Read by logs, metrics and the admin API.
 */
public final class HostCounters {
    /** Why a host entry answered a request with silence. */
    public enum Drop {
        /** The host is down. */
        DOWN("down"),
        /** Lost, by the entry's loss model. */
        LOSS("loss"),
        /** Over the entry's rate limit. */
        RATE("rate"),
        /** The delayed-reply queue was full. */
        QUEUE_FULL("queue_full"),
        /** An echo request with an identifier that the host's {@code echo-id-filter} drops. */
        ECHO_ID_FILTERED("echo_id_filtered");

        private final String metricName;

        Drop(String metricName) {
            this.metricName = metricName;
        }

        public String metricName() {
            return metricName;
        }
    }

    private static final Drop[] DROPS = Drop.values();

    private static final int UNREACHABLE = DROPS.length;

    private final LongAdder requests = new LongAdder();
    private final LongAdder replies = new LongAdder();
    private final LongAdder probes = new LongAdder();
    /** The drops by reason, then the unreachable messages sent. */
    private final AtomicLongArray rare = new AtomicLongArray(DROPS.length + 1);
    private final AtomicLong lastProbedMillis = new AtomicLong();

    /** One request to an address of this entry, at {@code millis} (wall clock). */
    public void request(long millis) {
        requests.increment();
        lastProbedMillis.lazySet(millis);
    }

    /** The request was a probe (an echo request, a TCP SYN, a UDP datagram), as {@link ProbeTable} tracks them. */
    public void probed() {
        probes.increment();
    }

    public void replied() {
        replies.increment();
    }

    /** An ICMP error sent in place of an answer: destination or port unreachable, time exceeded. */
    public void errorSent() {
        rare.incrementAndGet(UNREACHABLE);
    }

    public void drop(Drop why) {
        rare.incrementAndGet(why.ordinal());
    }

    public long requests() {
        return requests.sum();
    }

    /** Requests that were probes (counted while probes are tracked). */
    public long probes() {
        return probes.sum();
    }

    public long replies() {
        return replies.sum();
    }

    /** ICMP errors sent in place of replies: destination or port unreachable, time exceeded (from a hop). */
    public long errors() {
        return rare.get(UNREACHABLE);
    }

    public long dropped(Drop why) {
        return rare.get(why.ordinal());
    }

    /** When an address of this entry was last probed (ms since the epoch), or 0 when never. */
    public long lastProbedMillis() {
        return lastProbedMillis.get();
    }

    /**
     * One event loop's requests, probes and replies of one entry at a time, added to the entry's counters in one go
     * when another entry's come or at {@link #flush()} (the end of a read burst): a flood costs the shared counters a
     * few atomic adds a burst rather than a few a packet. Not thread-safe; allocates nothing.
     */
    public static final class Tally {
        private HostCounters to;
        private long requests;
        private long probes;
        private long replies;
        private long lastMillis;

        /** As {@link HostCounters#request}, added at the next {@link #flush()} at the latest. */
        public void request(HostCounters counters, long millis) {
            at(counters);
            requests++;
            lastMillis = millis;
        }

        /** As {@link HostCounters#probed}. */
        public void probed(HostCounters counters) {
            at(counters);
            probes++;
        }

        /** As {@link HostCounters#replied}. */
        public void replied(HostCounters counters) {
            at(counters);
            replies++;
        }

        private void at(HostCounters counters) {
            if (counters != to) {
                flush();
                to = counters;
            }
        }

        /** Adds what is counted here to the entry's counters (and lets go of the entry). */
        public void flush() {
            HostCounters c = to;
            if (c == null) {
                return;
            }
            if (requests > 0) {
                c.requests.add(requests);
                c.lastProbedMillis.lazySet(lastMillis);
            }
            if (probes > 0) {
                c.probes.add(probes);
            }
            if (replies > 0) {
                c.replies.add(replies);
            }
            requests = 0;
            probes = 0;
            replies = 0;
            to = null;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("requests=").append(requests()).append(" replies=").append(replies());
        if (errors() > 0) {
            sb.append(" errors=").append(errors());
        }
        for (Drop d : DROPS) {
            long n = dropped(d);
            if (n > 0) {
                sb.append(' ').append(d.metricName()).append('=').append(n);
            }
        }
        return sb.toString();
    }
}
