package io.tunecho.policy;

import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.Hop;
import io.tunecho.hosts.HopChoice;
import io.tunecho.packet.PacketContext;
import io.tunecho.wire.IpCidr;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The virtual routers in front of a host (its {@code hops}), crossed nearest first. At a hop with a choice the packet
 * takes one router ({@link HopChoice}: by its flow's hash, at random, or by its destination). A router that is down
 * loses the packet (and everything else behind it); where the TTL runs out, that router has to answer with ICMP time
 * exceeded; otherwise the packet reaches the host, and its reply will carry the delays of the routers it took.
 * Where a packet ended, the routers it took and the delay up to there are kept until the next packet (one instance
 * per channel; the routers taken in an array that grows to the longest path once).
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

    private final PacketContext packet;
    private final Clock clock;
    private final RandomGenerator random;
    private IpCidr[] taken = new IpCidr[0];
    private boolean flowHashed;
    private long flowHash;
    private int hop;
    private HostEntry router;
    private Behaviour routerBehaviour;
    private long delay;

    VirtualRouters(PacketContext packet, Clock clock, RandomGenerator random) {
        this.packet = packet;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Crosses {@code hops} (not empty) with the packet in the {@link PacketContext}, which arrived with {@code ttl}
     * (IPv4 TTL or IPv6 hop limit).
     */
    Outcome cross(HostTable table, Hop[] hops, boolean v6, int ttl) {
        long now = clock.nanoTime();
        delay = 0;
        flowHashed = false;
        if (taken.length < hops.length) {
            taken = new IpCidr[hops.length];
        }
        for (int k = 0; k < hops.length; k++) {
            IpCidr at = choose(hops[k], k);
            taken[k] = at;
            HostEntry r = v6 ? table.lookupIpv6(at.high(), at.low()) : table.lookupIpv4(at.ipv4Address());
            if (r == null || !r.isHost()) {
                return Outcome.DOWN; // cannot happen: the table gives every router an entry
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

    /** The router the packet takes at {@code hop}, the {@code k}th. */
    private IpCidr choose(Hop hop, int k) {
        List<IpCidr> routers = hop.routers();
        if (!hop.isChoice()) {
            return routers.get(0);
        }
        int n = routers.size();
        switch (hop.by()) {
            case PACKET:
                return routers.get(random.nextInt(n));
            case DESTINATION:
                return routers.get(FlowHash.pick(FlowHash.destination(packet), k, n));
            default:
                if (!flowHashed) {
                    flowHash = FlowHash.flow(packet);
                    flowHashed = true;
                }
                return routers.get(FlowHash.pick(flowHash, k, n));
        }
    }

    /**
     * The routers the last packet took, nearest first: as many as it crossed (all of its hops when it reached the
     * host, up to {@link #hop()} when its TTL ran out). Valid until the next packet.
     */
    IpCidr[] taken() {
        return taken;
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
