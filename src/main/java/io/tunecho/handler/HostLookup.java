package io.tunecho.handler;

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

    public HostLookup(PacketCounters counters, PacketContext packet, Supplier<HostTable> hosts, Clock clock,
            RandomGenerator random) {
        super(counters, packet);
        this.hosts = hosts;
        this.clock = clock;
        this.random = random;
        this.errorId = random.nextInt(1 << 16);
    }

    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf buf) {
        if (packet.ip == packet.ipv6) {
            ipv6(ctx, buf);
            return;
        }
        Ipv4Packet ip = packet.ipv4;
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
        Ipv6Packet ip = packet.ipv6;
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
        Behaviour b = entry.isTimed() ? entry.behaviourAt(clock.nanoTime(), offset) : entry.baseBehaviour();
        if (b.mayRefuse() && refused(ctx, buf, table, entry, b, stateKey)) {
            return;
        }
        if (b.rate() > 0 && !states().takeToken(states().slot(stateKey), b.rate(), clock.nanoTime())) {
            hostCounters.drop(HostCounters.Drop.RATE);
            drop(DropReason.RATE_LIMITED, buf);
            return;
        }
        packet.host = entry;
        packet.behaviour = b;
        packet.replyTtl = b.ttl();
        ctx.fireChannelRead(buf);
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
        ByteBuf error = gateway.isIpv4()
                ? IcmpErrors.ipv4(ctx.alloc(), packet.ipv4, gateway.ipv4Address(),
                        IcmpMessage.V4.DESTINATION_UNREACHABLE, IcmpErrors.CODE_HOST_UNREACHABLE, 0, gb.ttl(),
                        errorId++ & 0xFFFF)
                : IcmpErrors.ipv6(ctx.alloc(), packet.ipv6, gateway.high(), gateway.low(),
                        IcmpMessage.V6.DESTINATION_UNREACHABLE, IcmpErrors.CODE_V6_ADDRESS_UNREACHABLE, 0, gb.ttl());
        buf.release();
        entry.counters().unreachableSent();
        packet.host = gatewayEntry;
        packet.behaviour = gb;
        packet.writingError = true;
        try {
            ctx.write(error, ctx.voidPromise());
        } finally {
            packet.writingError = false;
        }
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
