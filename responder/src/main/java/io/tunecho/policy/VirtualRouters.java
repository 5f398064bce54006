package io.tunecho.policy;

import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.wire.IpCidr;

import java.util.random.RandomGenerator;

/**
 * The virtual routers in front of a host (its {@code hops}), crossed nearest first: a router that is down loses the
 * packet (and everything else behind it); where the TTL runs out, that router has to answer with ICMP time
 * exceeded; otherwise the packet reaches the host, and its reply will carry every router's delay. Where a packet
 * ended, and the delay up to there, are kept until the next packet (one instance per channel, nothing allocated).
 */
final class VirtualRouters {
    /** What became of a packet on its way to the host. */
    enum Outcome {
        /** It reached the host: {@link #delayNanos()} is the whole path's delay. */
        REACHED,
        /** A router on the way is down (counted at its entry). */
        DOWN,
        /** Its TTL ran out at {@link #router()}; {@link #delayNanos()} is the delay of the routers before it. */
        TTL_EXCEEDED
    }

    private final Clock clock;
    private final RandomGenerator random;
    private int hop;
    private HostEntry router;
    private Behaviour routerBehaviour;
    private long delay;

    VirtualRouters(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** Crosses {@code hops} (not empty) with a packet that arrived with {@code ttl} (IPv4 TTL or IPv6 hop limit). */
    Outcome cross(HostTable table, IpCidr[] hops, boolean v6, int ttl) {
        long now = clock.nanoTime();
        delay = 0;
        for (int k = 0; k < hops.length; k++) {
            IpCidr at = hops[k];
            HostEntry r = v6 ? table.lookupIpv6(at.high(), at.low()) : table.lookupIpv4(at.ipv4Address());
            if (r == null || !r.isHost()) {
                return Outcome.DOWN; // cannot happen: the table gives every hop an entry
            }
            long offset = v6 ? at.low() - r.match().low() : r.offsetOfIpv4(at.ipv4Address());
            Behaviour rb = r.behaviourAt(now, offset);
            if (rb.state() != HostState.UP) {
                r.counters().drop(HostCounters.Drop.DOWN);
                return Outcome.DOWN;
            }
            if (ttl - k <= 1) {
                hop = k;
                router = r;
                routerBehaviour = rb;
                return Outcome.TTL_EXCEEDED;
            }
            delay += rb.sampleDelayNanos(random);
        }
        return Outcome.REACHED;
    }

    /** The hop where the TTL ran out (0: the nearest). */
    int hop() {
        return hop;
    }

    /** The router where the TTL ran out. */
    HostEntry router() {
        return router;
    }

    /** That router's behaviour at the moment the packet reached it. */
    Behaviour routerBehaviour() {
        return routerBehaviour;
    }

    /** The delay of the routers the packet crossed. */
    long delayNanos() {
        return delay;
    }
}
