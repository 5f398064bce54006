package io.tunecho.policy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.hosts.AddressStates;
import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.Hop;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.ip.IcmpErrorLimit;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.PacketHandler;
import io.tunecho.packet.ReplyKind;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.IpAddresses;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.IpPacket;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;
import io.tunecho.wire.TcpSegment;
import io.tunecho.wire.UdpDatagram;

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
 * next packet. The decisions are made by parts with one job each: {@link ReplyLimits} (the limits every host shares),
 * {@link VirtualRouters} (the hops in front of a host), {@link Refusals} (a host's state, loss and rate) and
 * {@link PathErrors} (the ICMP errors sent in a host's place); what they remember per address they keep in one
 * {@link AddressStates} per channel. Random decisions come from this channel's generator, so that a seed repeats
 * them.
 *
 * <p>Every request to an answered address that is a probe (an echo request, a TCP SYN, a UDP datagram) is recorded in
 * the {@link ProbeTable}, when there is one, before anything is decided: a probe of a host that is down, or that a
 * router on the way ends, was a probe all the same. A read burst's requests, and its equal probes, are counted at
 * their entries and recorded together at its end ({@link HostCounters.Tally}, {@link ProbeTable.Recorder}), with the
 * time of its first request: the clock is read once a burst.
 *
 * <p>Buffers: a dropped packet is released here; a packet passed on belongs to the next stage; an ICMP error is a new
 * buffer, written here.
 */
public final class HostLookup extends PacketHandler {
    private static final long NO_TIME = Long.MIN_VALUE;
    private final Supplier<HostTable> hosts;
    private final Clock clock;
    private final IcmpErrorLimit errorLimit;
    private final ReplyLimits limits;
    private final VirtualRouters routers;
    private final Refusals refusals;
    private final PathErrors errors;
    /** Where this channel's probes go into the probe table, or {@code null}: not tracked. */
    private final ProbeTable.Recorder probes;
    private final EchoIdFirewall echoIds;
    /** The requests and probes counted at their entries at the end of each read burst. */
    private final HostCounters.Tally tally = new HostCounters.Tally();
    /**
     * The wall clock's time at the read burst's first request, {@link #NO_TIME} until then: what the entries' and
     * the probe table's millisecond times are, read once a burst (a clock read costs more than the rest of a
     * request's bookkeeping on a VM's clock source).
     */
    private long burstMillis = NO_TIME;
    /**
     * The last IPv4 pair of addresses, in which table, and what the table said of it ({@link #classifyIpv4}): a
     * flood, or a prober's run of packets to one host, does not touch the table again (its memory is cold by the
     * next read burst: a miss costs more than the rest of the decision). A new table never matches.
     */
    private HostTable lastTable;
    private int lastDestination;
    private int lastSource;
    private DropReason lastRefusal;
    private HostEntry lastEntry;
    private long lastOffset;
    /** The view that tells a TCP SYN from other segments, reused for every packet. */
    private final TcpSegment tcp = new TcpSegment();

    /** @param probes where the probes to answered addresses are recorded, or {@code null}: not tracked */
    public HostLookup(PacketCounters counters, PacketContext packet, Supplier<HostTable> hosts, Clock clock,
            RandomGenerator random, IcmpErrorLimit errorLimit, double limitPerSecond, double limitPerSource,
            ProbeTable probes) {
        super(counters, packet);
        this.probes = probes == null ? null : probes.recorder();
        AddressStates states = new AddressStates();
        this.hosts = hosts;
        this.clock = clock;
        this.errorLimit = errorLimit;
        this.limits = new ReplyLimits(clock, limitPerSecond, limitPerSource, states);
        this.routers = new VirtualRouters(packet, clock, random);
        this.refusals = new Refusals(clock, random, states);
        this.errors = new PathErrors(packet, random.nextInt(1 << 16));
        this.echoIds = new EchoIdFirewall(packet);
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
        HostTable table = hosts.get();
        if (table != lastTable || dst != lastDestination || src != lastSource) {
            classifyIpv4(table, dst, src);
        }
        if (lastRefusal != null) {
            drop(lastRefusal, buf);
            return;
        }
        answer(ctx, buf, table, lastEntry, lastOffset, AddressStates.ipv4Key(dst));
    }

    /**
     * What the table says of an IPv4 pair, kept for the packets after it: the refusal (a broadcast or multicast
     * destination, one not answered, a martian source), or the entry that answers and the destination's offset in it.
     */
    private void classifyIpv4(HostTable table, int dst, int src) {
        lastTable = table;
        lastDestination = dst;
        lastSource = src;
        lastEntry = null;
        if (IpAddresses.isIpv4Multicast(dst) || dst == IpAddresses.IPV4_LIMITED_BROADCAST) {
            lastRefusal = DropReason.BROADCAST_OR_MULTICAST;
            return;
        }
        HostEntry entry = table.lookupIpv4(dst);
        if (entry == null || !entry.isHost()) {
            lastRefusal = entry != null && entry.role() == HostEntry.Role.BROADCAST
                    ? DropReason.BROADCAST_OR_MULTICAST : DropReason.NOT_ANSWERED;
        } else if (src == dst || table.isIpv4Broadcast(src)) {
            lastRefusal = DropReason.BAD_SOURCE;
        } else {
            lastRefusal = null;
            lastEntry = entry;
            lastOffset = entry.offsetOfIpv4(dst);
        }
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

    /**
     * The host's behaviour now: refuse (over a limit, lost on the way, down, unreachable, loss, rate) or pass on with
     * the entry and behaviour.
     */
    private void answer(ChannelHandlerContext ctx, ByteBuf buf, HostTable table, HostEntry entry, long offset,
            long hostKey) {
        long now = millis();
        tally.request(entry.counters(), now);
        if (probes != null) {
            recordProbe(entry, now);
        }
        if (!limits.allow(sourceKey())) {
            drop(DropReason.REPLY_LIMIT, buf);
            return;
        }
        Behaviour b = entry.isTimed() ? entry.behaviourAt(clock.nanoTime(), offset) : entry.baseBehaviour();
        Hop[] hops = b.hops();
        packet.path(routers.taken(), 0, 0);
        if (hops.length > 0 && endedOnTheWay(ctx, buf, table, hops)) {
            return;
        }
        if (b.state() == HostState.UNREACHABLE) {
            sendUnreachable(ctx, buf, table, entry, b);
            return;
        }
        if (b.echoIdFilter() != null && echoIdFiltered(entry, b, hostKey)) {
            drop(DropReason.ECHO_ID_FILTERED, buf);
            return;
        }
        DropReason refused = refusals.ofHost(entry, b, hostKey);
        if (refused != null) {
            drop(refused, buf);
            return;
        }
        packet.path(routers.taken(), hops.length, packet.pathDelayNanos());
        packet.answeredBy(entry, b, Math.max(1, replyTtl(entry, b, offset) - hops.length)); // each router takes one
        packet.hostKey(hostKey);
        pass(ctx, buf);
    }

    /** The wall clock's time in ms, read at the read burst's first request. */
    private long millis() {
        long m = burstMillis;
        if (m == NO_TIME) {
            m = burstMillis = clock.currentTimeMillis();
        }
        return m;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        endBurst();
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        endBurst();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        endBurst();
        super.handlerRemoved(ctx);
    }

    /** The burst is over: what it counted goes to the entries and the probe table, and the next reads the clock. */
    private void endBurst() {
        tally.flush();
        if (probes != null) {
            probes.flush();
        }
        burstMillis = NO_TIME;
    }

    /**
     * Crosses the {@linkplain VirtualRouters virtual routers} in front of the host; returns whether the packet ended
     * on the way (consumed here). When it did not, the path's delay is in the {@link PacketContext}, and the routers
     * it took in {@link VirtualRouters#taken()}.
     */
    private boolean endedOnTheWay(ChannelHandlerContext ctx, ByteBuf buf, HostTable table, Hop[] hops) {
        boolean v6 = packet.isIpv6();
        int ttl = v6 ? packet.ipv6().hopLimit() : packet.ipv4().ttl();
        switch (routers.cross(table, hops, v6, ttl)) {
            case REACHED:
                packet.path(routers.taken(), 0, routers.delayNanos());
                return false;
            case DOWN:
                drop(DropReason.PATH_DOWN, buf);
                return true;
            default:
                int k = routers.hop();
                timeExceeded(ctx, buf, routers.router(), routers.routerBehaviour(), routers.taken()[k], k, ttl - k,
                        routers.delayNanos());
                return true;
        }
    }

    /**
     * The router at hop {@code k} (0: the nearest) got the packet with TTL {@code ttlThere} and cannot pass it on:
     * ICMP time exceeded in transit, from the router's address, after the delays of the routers before it and its
     * own. Never about an ICMP error; subject to the router's own loss and rate, and to the ICMP error limits.
     */
    private void timeExceeded(ChannelHandlerContext ctx, ByteBuf buf, HostEntry router, Behaviour rb, IpCidr hop,
            int k, int ttlThere, long delayBefore) {
        tally.request(router.counters(), millis());
        if (isIcmpError()) {
            drop(DropReason.TTL_EXCEEDED, buf);
            return;
        }
        long routerKey = addressKey(hop);
        DropReason refused = refusals.ofRouter(router, rb, routerKey);
        if (refused != null) {
            drop(refused, buf);
            return;
        }
        if (!errorLimit.allow(routerKey, sourceKey())) {
            drop(DropReason.ICMP_ERROR_RATE_LIMITED, buf);
            return;
        }
        ByteBuf error = errors.timeExceeded(ctx.alloc(), hop, ttlThere, Math.max(1, rb.ttl() - k));
        buf.release();
        router.counters().errorSent();
        writeError(ctx, error, router, rb, delayBefore);
    }

    /**
     * ICMP destination host unreachable from the host's gateway, quoting the request. The error has the gateway's
     * TTL and goes out through {@link ReplyShaper} with the gateway's behaviour (its delay, for example).
     */
    private void sendUnreachable(ChannelHandlerContext ctx, ByteBuf buf, HostTable table, HostEntry entry,
            Behaviour b) {
        IpCidr gateway = table.gatewayFor(entry, b);
        HostEntry gatewayEntry = gateway.isIpv4() ? table.lookupIpv4(gateway.ipv4Address())
                : table.lookupIpv6(gateway.high(), gateway.low());
        Behaviour gb = gatewayEntry != null && gatewayEntry.isHost() ? gatewayEntry.baseBehaviour() : b;
        if (isIcmpError()) {
            drop(DropReason.HOST_DOWN, buf);
            return;
        }
        if (!errorLimit.allow(addressKey(gateway), sourceKey())) {
            drop(DropReason.ICMP_ERROR_RATE_LIMITED, buf);
            return;
        }
        ByteBuf error = errors.hostUnreachable(ctx.alloc(), gateway, gb.ttl());
        buf.release();
        entry.counters().errorSent();
        writeError(ctx, error, gatewayEntry, gb, packet.pathDelayNanos());
    }

    /** Writes an ICMP error through {@link ReplyShaper}, with the behaviour of the address it comes from. */
    private void writeError(ChannelHandlerContext ctx, ByteBuf error, HostEntry from, Behaviour fb, long pathDelay) {
        packet.answeredBy(from, fb, packet.replyTtl());
        packet.path(packet.hops(), packet.hopCount(), pathDelay);
        packet.write(ctx, ReplyKind.ICMP_ERROR, error);
    }

    /**
     * Records the request in the probe table if it is a probe: an ICMP or ICMPv6 echo request, a TCP segment with
     * SYN and without ACK, or any UDP datagram. Whatever happens to it next (the host down, lossy, unreachable, or a
     * router on the way ending it), it was a probe of its destination.
     */
    private void recordProbe(HostEntry entry, long now) {
        ProbeTable.Protocol protocol = probeProtocol();
        if (protocol == null) {
            return;
        }
        tally.probed(entry.counters());
        if (packet.isIpv6()) {
            Ipv6Packet ip = packet.ipv6();
            probes.recordIpv6(protocol, ip.destinationHigh(), ip.destinationLow(), ip.sourceHigh(), ip.sourceLow(),
                    now);
        } else {
            probes.recordIpv4(protocol, packet.ipv4().destination(), packet.ipv4().source(), now);
        }
    }

    /** What kind of probe the packet is, or {@code null} when it is none. */
    private ProbeTable.Protocol probeProtocol() {
        IpPacket ip = packet.ip();
        int protocol = ip.upperLayerProtocol();
        boolean v6 = packet.isIpv6();
        if (protocol == (v6 ? IcmpMessage.PROTOCOL_V6 : IcmpMessage.PROTOCOL_V4)) {
            IcmpMessage icmp = packet.icmp();
            return icmp.hasHeader() && icmp.type() == (v6 ? IcmpMessage.V6.ECHO_REQUEST : IcmpMessage.V4.ECHO_REQUEST)
                    ? ProbeTable.Protocol.ICMP_ECHO : null;
        }
        if (protocol == TcpSegment.PROTOCOL) {
            TcpSegment t = tcp.wrapPayloadOf(ip);
            return t.hasHeader() && (t.flags() & (TcpSegment.SYN | TcpSegment.ACK)) == TcpSegment.SYN
                    ? ProbeTable.Protocol.TCP_SYN : null;
        }
        return protocol == UdpDatagram.PROTOCOL ? ProbeTable.Protocol.UDP : null;
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

    private static long addressKey(IpCidr address) {
        return address.isIpv4() ? AddressStates.ipv4Key(address.ipv4Address())
                : AddressStates.ipv6Key(address.high(), address.low());
    }

    /** The TTL of the host's replies now, before the routers on the way back: its {@code ttl-change}, or its ttl. */
    private int replyTtl(HostEntry entry, Behaviour b, long offset) {
        return b.changesTtl() ? b.ttlAt(entry.elapsedNanos(clock.nanoTime(), offset)) : b.ttl();
    }

    /** Whether the host's {@code echo-id-filter} drops the request (counted at the entry when it does). */
    private boolean echoIdFiltered(HostEntry entry, Behaviour b, long hostKey) {
        if (!echoIds.drops(b.echoIdFilter(), hostKey, clock.nanoTime())) {
            return false;
        }
        entry.counters().drop(HostCounters.Drop.ECHO_ID_FILTERED);
        return true;
    }
}
