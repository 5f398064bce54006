package io.tunecho.hosts;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened at one host entry: requests, replies, and drops by reason, and when it was last probed. Counted
 * from every event loop without contention ({@link LongAdder}s), read by logs, metrics and the admin API.
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
        QUEUE_FULL("queue_full");

        private final String metricName;

        Drop(String metricName) {
            this.metricName = metricName;
        }

        public String metricName() {
            return metricName;
        }
    }

    private static final Drop[] DROPS = Drop.values();

    private final LongAdder requests = new LongAdder();
    private final LongAdder replies = new LongAdder();
    private final LongAdder unreachable = new LongAdder();
    private final LongAdder[] dropped = new LongAdder[DROPS.length];
    private final AtomicLong lastProbedMillis = new AtomicLong();

    public HostCounters() {
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
    }

    /** One request to an address of this entry, at {@code millis} (wall clock). */
    public void request(long millis) {
        requests.increment();
        lastProbedMillis.lazySet(millis);
    }

    public void replied() {
        replies.increment();
    }

    public void unreachableSent() {
        unreachable.increment();
    }

    public void drop(Drop why) {
        dropped[why.ordinal()].increment();
    }

    public long requests() {
        return requests.sum();
    }

    public long replies() {
        return replies.sum();
    }

    /** ICMP destination unreachable messages sent in place of replies. */
    public long unreachable() {
        return unreachable.sum();
    }

    public long dropped(Drop why) {
        return dropped[why.ordinal()].sum();
    }

    /** When an address of this entry was last probed (ms since the epoch), or 0 when never. */
    public long lastProbedMillis() {
        return lastProbedMillis.get();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("requests=").append(requests()).append(" replies=").append(replies());
        if (unreachable() > 0) {
            sb.append(" unreachable=").append(unreachable());
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
