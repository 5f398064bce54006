package io.tunecho.policy;

import io.tunecho.packet.ReplyKind;
import io.tunecho.ip.IcmpErrorLimit;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.PacketHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.hosts.AddressStates;
import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.LossModel;
import io.tunecho.wire.IcmpErrors;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.IpAddresses;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Decides what the virtual host at the packet's destination does with it. Looks the destination up in the
 * {@link HostTable} (longest prefix match), then applies the entry's behaviour at this moment (its timeline step,
 * if it has one): a host that is down stays silent, an unreachable one is reported by its gateway with ICMP
 * destination host unreachable, a lossy one loses the request (independently or in bursts), a rate-limited one
 * refuses what exceeds its rate. What goes on carries the entry and its behaviour in the {@link PacketContext}, for
 * the protocol handlers (the reply's TTL) and {@link ReplyShaper} (delay, duplicates, corruption).
 *
 * <p>Drops what no host would accept: destinations that are broadcast or multicast (Linux ignores echo requests to
 * those), not answered, or a subnet's network address; and sources that a host treats as martians once it knows its
 * subnets (a subnet's broadcast address, or the destination's own address). IPv4 and IPv6 alike. Every drop is counted, globally and,
 * for a host's own decisions, at its entry.
 *
 * <p>The table is read through a {@link Supplier} for each packet, so that a new configuration takes effect with the
 * next packet. Random decisions come from this channel's generator, so that a seed repeats them.
 *
 * <p>Buffers: a dropped packet is released here; a packet passed on belongs to the next stage; an ICMP error is a new
 * buffer, written here.
 */
public final class HostLookup extends PacketHandler {
    private final Supplier<HostTable> hosts;
    private final Clock clock;
    private final RandomGenerator random;
    private AddressStates states;
    private int errorId;

    private final IcmpErrorLimit errorLimit;
    private final double limitPerSecond;
    private final double limitPerSource;
    private double limitTokens;
    private long limitRefilled;

    public HostLookup(PacketCounters counters, PacketContext packet, Supplier<HostTable> hosts, Clock clock,
            RandomGenerator random, IcmpErrorLimit errorLimit, double limitPerSecond, double limitPerSource) {
        super(counters, packet);
        this.limitPerSecond = limitPerSecond;
        this.limitPerSource = limitPerSource;
        this.limitTokens = Math.max(1, limitPerSecond);
        this.limitRefilled = clock.nanoTime();
        this.hosts = hosts;
        this.clock = clock;
        this.random = random;
        this.errorLimit = errorLimit;
        this.errorId = random.nextInt(1 << 16);
    }

    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf buf) {
        if (packet.isIpv6()) {
            ipv6(ctx, buf);
            return;
        }
        Ipv4Packet ip = packet.ipv4();
        int dst = ip.destination();
        int src = ip.source();
        if (IpAddresses.isIpv4Multicast(dst) || dst == IpAddresses.IPV4_LIMITED_BROADCAST) {
            drop(DropReason.BROADCAST_OR_MULTICAST, buf);
            return;
        }
        HostTable table = hosts.get();
        HostEntry entry = table.lookupIpv4(dst);
        if (entry == null) {
            drop(DropReason.NOT_ANSWERED, buf);
            return;
        }
        if (!entry.isHost()) {
            drop(entry.role() == HostEntry.Role.BROADCAST ? DropReason.BROADCAST_OR_MULTICAST
                    : DropReason.NOT_ANSWERED, buf);
            return;
        }
        if (src == dst || isBroadcast(table.lookupIpv4(src))) {
            drop(DropReason.BAD_SOURCE, buf);
            return;
        }
        answer(ctx, buf, table, entry, entry.offsetOfIpv4(dst), AddressStates.ipv4Key(dst));
    }

    private void ipv6(ChannelHandlerContext ctx, ByteBuf buf) {
        Ipv6Packet ip = packet.ipv6();
        long dstHi = ip.destinationHigh();
        long dstLo = ip.destinationLow();
        HostTable table = hosts.get();
        HostEntry entry = table.lookupIpv6(dstHi, dstLo);
        if (entry == null || !entry.isHost()) {
            drop(DropReason.NOT_ANSWERED, buf);
            return;
        }
        if (ip.sourceHigh() == dstHi && ip.sourceLow() == dstLo) {
            drop(DropReason.BAD_SOURCE, buf);
            return;
        }
        long offset = entry.match().prefixLength() >= 64 ? dstLo - entry.match().low() : 0;
        answer(ctx, buf, table, entry, offset, AddressStates.ipv6Key(dstHi, dstLo));
    }

    /** The host's behaviour now: refuse (down, unreachable, loss, rate) or pass on with the entry and behaviour. */
    private void answer(ChannelHandlerContext ctx, ByteBuf buf, HostTable table, HostEntry entry, long offset,
            long stateKey) {
        HostCounters hostCounters = entry.counters();
        hostCounters.request(System.currentTimeMillis());
        if ((limitPerSecond > 0 || limitPerSource > 0) && overLimit()) {
            drop(DropReason.REPLY_LIMIT, buf);
            return;
        }
        Behaviour b = entry.isTimed() ? entry.behaviourAt(clock.nanoTime(), offset) : entry.baseBehaviour();
        IpCidr[] hops = b.hops();
        packet.path(hops, 0, 0);
        if (hops.length > 0 && endedOnTheWay(ctx, buf, table, hops)) {
            return;
        }
        if (b.mayRefuse() && refused(ctx, buf, table, entry, b, stateKey)) {
            return;
        }
        if (b.rate() > 0 && !states().takeToken(states().slot(stateKey), b.rate(), clock.nanoTime())) {
            hostCounters.drop(HostCounters.Drop.RATE);
            drop(DropReason.RATE_LIMITED, buf);
            return;
        }
        packet.path(hops, hops.length, packet.pathDelayNanos());
        packet.answeredBy(entry, b, Math.max(1, b.ttl() - hops.length)); // each router on the way back takes one
        pass(ctx, buf);
    }

    /**
     * Crosses the virtual routers in front of the host, nearest first. A router that is down loses the packet (and
     * everything else behind it); where the TTL runs out, that router answers with ICMP time exceeded, after the
     * delays of the routers before it and its own. Otherwise the packet reaches the host, and its reply will carry
     * every router's delay.
     *
     * @return whether the packet ended on the way (consumed here)
     */
    private boolean endedOnTheWay(ChannelHandlerContext ctx, ByteBuf buf, HostTable table, IpCidr[] hops) {
        boolean v6 = packet.isIpv6();
        int ttl = v6 ? packet.ipv6().hopLimit() : packet.ipv4().ttl();
        long now = clock.nanoTime();
        long delay = 0;
        for (int k = 0; k < hops.length; k++) {
            IpCidr hop = hops[k];
            HostEntry router = v6 ? table.lookupIpv6(hop.high(), hop.low()) : table.lookupIpv4(hop.ipv4Address());
            if (router == null || !router.isHost()) {
                drop(DropReason.PATH_DOWN, buf); // cannot happen: the table gives every hop an entry
                return true;
            }
            long offset = v6 ? hop.low() - router.match().low() : router.offsetOfIpv4(hop.ipv4Address());
            Behaviour rb = router.behaviourAt(now, offset);
            if (rb.state() != HostState.UP) {
                router.counters().drop(HostCounters.Drop.DOWN);
                drop(DropReason.PATH_DOWN, buf);
                return true;
            }
            if (ttl - k <= 1) {
                timeExceeded(ctx, buf, router, rb, hop, k, ttl - k, delay);
                return true;
            }
            delay += rb.sampleDelayNanos(random);
        }
        packet.path(hops, 0, delay);
        return false;
    }

    /**
     * The router at hop {@code k} (0: the nearest) got the packet with TTL {@code ttlThere} and cannot pass it on:
     * ICMP time exceeded in transit (RFC 792, RFC 4443 3.3), from the router's address, quoting the packet as the
     * router received it. Never about an ICMP error; subject to the router's own loss and rate, and to the ICMP error
     * limits.
     */
    private void timeExceeded(ChannelHandlerContext ctx, ByteBuf buf, HostEntry router, Behaviour rb, IpCidr hop,
            int k, int ttlThere, long delayBefore) {
        router.counters().request(System.currentTimeMillis());
        if (isIcmpError()) {
            drop(DropReason.TTL_EXCEEDED, buf);
            return;
        }
        long routerKey = hop.isIpv4() ? AddressStates.ipv4Key(hop.ipv4Address())
                : AddressStates.ipv6Key(hop.high(), hop.low());
        if (!rb.loss().isNone() && (rb.loss().decide(false, random) & 1) != 0) {
            router.counters().drop(HostCounters.Drop.LOSS);
            drop(DropReason.LOSS, buf);
            return;
        }
        if (rb.rate() > 0 && !states().takeToken(states().slot(routerKey), rb.rate(), clock.nanoTime())) {
            router.counters().drop(HostCounters.Drop.RATE);
            drop(DropReason.RATE_LIMITED, buf);
            return;
        }
        if (!errorLimit.allow(routerKey, sourceKey())) {
            drop(DropReason.ICMP_ERROR_RATE_LIMITED, buf);
            return;
        }
        ByteBuf error;
        int ttl = Math.max(1, rb.ttl() - k);
        if (hop.isIpv4()) {
            Ipv4Packet ip = packet.ipv4();
            ip.setTtlAndUpdateChecksum(ttlThere); // as the router received it
            error = IcmpErrors.ipv4(ctx.alloc(), ip, hop.ipv4Address(), IcmpMessage.V4.TIME_EXCEEDED, 0, 0, ttl,
                    errorId++ & 0xFFFF);
        } else {
            packet.ipv6().setHopLimit(ttlThere);
            error = IcmpErrors.ipv6(ctx.alloc(), packet.ipv6(), hop.high(), hop.low(), IcmpMessage.V6.TIME_EXCEEDED, 0,
                    0, ttl);
        }
        buf.release();
        router.counters().errorSent();
        writeError(ctx, error, router, rb, delayBefore);
    }

    /** The global (this channel's share) and per-source limits of answers: whether this packet is over one. */
    private boolean overLimit() {
        long now = clock.nanoTime();
        if (limitPerSecond > 0) {
            double refill = (now - limitRefilled) * limitPerSecond / 1e9;
            limitTokens = Math.min(Math.max(1, limitPerSecond), limitTokens + refill);
            limitRefilled = now;
            if (limitTokens < 1) {
                return true;
            }
        }
        if (limitPerSource > 0 && !states().takeToken(states().slot(AddressStates.pairKey(sourceKey(), 0)),
                limitPerSource, now)) {
            return true;
        }
        if (limitPerSecond > 0) {
            limitTokens -= 1;
        }
        return false;
    }

    /** Whether the packet is an ICMP error (which no ICMP error may answer, RFC 1122 3.2.2). */
    private boolean isIcmpError() {
        int protocol = packet.ip().upperLayerProtocol();
        if (protocol != IcmpMessage.PROTOCOL_V4 && protocol != IcmpMessage.PROTOCOL_V6) {
            return false;
        }
        IcmpMessage icmp = packet.icmp();
        return !icmp.hasHeader() || icmp.isError();
    }

    private long sourceKey() {
        return packet.isIpv6() ? AddressStates.ipv6Key(packet.ipv6().sourceHigh(), packet.ipv6().sourceLow())
                : AddressStates.ipv4Key(packet.ipv4().source());
    }

    /** Writes an ICMP error through {@link ReplyShaper}, with the behaviour of the address it comes from. */
    private void writeError(ChannelHandlerContext ctx, ByteBuf error, HostEntry from, Behaviour fb, long pathDelay) {
        packet.answeredBy(from, fb, packet.replyTtl());
        packet.path(packet.hops(), packet.hopCount(), pathDelay);
        packet.write(ctx, ReplyKind.ICMP_ERROR, error);
    }

    /** Applies state and loss; returns whether the packet was consumed (dropped, or answered with an error). */
    private boolean refused(ChannelHandlerContext ctx, ByteBuf buf, HostTable table, HostEntry entry, Behaviour b,
            long stateKey) {
        if (b.state() == HostState.DOWN) {
            entry.counters().drop(HostCounters.Drop.DOWN);
            drop(DropReason.HOST_DOWN, buf);
            return true;
        }
        if (b.state() == HostState.UNREACHABLE) {
            sendUnreachable(ctx, buf, table, entry, b);
            return true;
        }
        LossModel loss = b.loss();
        boolean lost;
        if (loss.isBursty()) {
            AddressStates s = states();
            int slot = s.slot(stateKey);
            int decision = loss.decide(s.inBurst(slot), random);
            s.setInBurst(slot, (decision & 2) != 0);
            lost = (decision & 1) != 0;
        } else {
            lost = (loss.decide(false, random) & 1) != 0;
        }
        if (lost) {
            entry.counters().drop(HostCounters.Drop.LOSS);
            drop(DropReason.LOSS, buf);
        }
        return lost;
    }

    /**
     * ICMP destination host unreachable from the host's gateway, quoting the request, as a router reports a host that
     * no longer answers its neighbour discovery. The error has the gateway's TTL and goes out through
     * {@link ReplyShaper} with the gateway's behaviour (its delay, for example).
     */
    private void sendUnreachable(ChannelHandlerContext ctx, ByteBuf buf, HostTable table, HostEntry entry,
            Behaviour b) {
        IpCidr gateway = table.gatewayFor(entry, b);
        HostEntry gatewayEntry = gateway.isIpv4() ? table.lookupIpv4(gateway.ipv4Address())
                : table.lookupIpv6(gateway.high(), gateway.low());
        Behaviour gb = gatewayEntry != null && gatewayEntry.isHost() ? gatewayEntry.baseBehaviour() : b;
        long gatewayKey = gateway.isIpv4() ? AddressStates.ipv4Key(gateway.ipv4Address())
                : AddressStates.ipv6Key(gateway.high(), gateway.low());
        if (isIcmpError() || !errorLimit.allow(gatewayKey, sourceKey())) {
            drop(isIcmpError() ? DropReason.HOST_DOWN : DropReason.ICMP_ERROR_RATE_LIMITED, buf);
            return;
        }
        ByteBuf error = gateway.isIpv4()
                ? IcmpErrors.ipv4(ctx.alloc(), packet.ipv4(), gateway.ipv4Address(),
                        IcmpMessage.V4.DESTINATION_UNREACHABLE, IcmpErrors.CODE_HOST_UNREACHABLE, 0, gb.ttl(),
                        errorId++ & 0xFFFF)
                : IcmpErrors.ipv6(ctx.alloc(), packet.ipv6(), gateway.high(), gateway.low(),
                        IcmpMessage.V6.DESTINATION_UNREACHABLE, IcmpErrors.CODE_V6_ADDRESS_UNREACHABLE, 0, gb.ttl());
        buf.release();
        entry.counters().errorSent();
        writeError(ctx, error, gatewayEntry, gb, packet.pathDelayNanos());
    }

    private AddressStates states() {
        AddressStates s = states;
        if (s == null) {
            s = states = new AddressStates(); // only channels that meet bursts or rate limits pay for it
        }
        return s;
    }

    private static boolean isBroadcast(HostEntry e) {
        return e != null && e.role() == HostEntry.Role.BROADCAST;
    }
}
