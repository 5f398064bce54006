package io.tunecho.ip;

import io.tunecho.hosts.AddressStates;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.TokenBucket;

/**
 * How many ICMP errors one channel sends (RFC 1812 4.3.2.8): at most 1000 a second with bursts of 50 in all, as
 * Linux's {@code icmp_msgs_per_sec} and {@code icmp_msgs_burst}; and from one address (a virtual router or host) to
 * one prober, 10 a second with bursts of 20, as routers commonly allow (a Linux host allows 1 a second with bursts
 * of 6, which a traceroute followed by an mtr of the same path already exceeds; a hop's own {@code rate} sets a
 * stricter limit where a lab wants one). Echo replies are not limited, as on Linux. Per channel, so no locks.
 */
public final class IcmpErrorLimit {
    static final double PER_SECOND = 1000;
    static final double BURST = 50;
    static final double PER_PAIR_PER_SECOND = 10;
    static final double PER_PAIR_BURST = 20;

    private final Clock clock;
    private final TokenBucket all;
    private final AddressStates pairs = new AddressStates();

    public IcmpErrorLimit(Clock clock) {
        this.clock = clock;
        this.all = new TokenBucket(PER_SECOND, BURST, clock.nanoTime());
    }

    /** Whether an error from {@code from} to {@code to} (address keys) may go out now; takes its tokens if so. */
    public boolean allow(long from, long to) {
        long now = clock.nanoTime();
        if (!all.hasToken(now)) {
            return false;
        }
        int pair = pairs.slot(AddressStates.pairKey(from, to));
        if (!pairs.takeToken(pair, PER_PAIR_PER_SECOND, PER_PAIR_BURST, now)) {
            return false;
        }
        all.take(); // only an error that goes out counts against the whole channel
        return true;
    }
}
