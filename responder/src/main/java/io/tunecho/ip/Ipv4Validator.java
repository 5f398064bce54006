package io.tunecho.ip;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.PacketHandler;
import io.tunecho.wire.Defect;
import io.tunecho.wire.IpAddresses;
import io.tunecho.wire.Ipv4Options;
import io.tunecho.wire.Ipv4Packet;

/**
 * Validates IPv4 packets as a Linux host does before it looks inside, and lets IPv6 packets pass: the header
 * ({@link Ipv4Packet#check()}: length, checksum, options), then the addresses that are never valid whatever the
 * host table says (Linux's {@code ip_route_input}: a source in 0.0.0.0/8, 127.0.0.0/8, multicast or
 * 255.255.255.255; a destination in 0.0.0.0/8 or 127.0.0.0/8), then source routes, which a host drops unless
 * {@code accept_source_route} is on. A valid packet goes on trimmed to its total length (a link may pad).
 * Fragments are dropped unless a reassembly stage follows.
 *
 * <p>Buffers: an invalid packet is counted under its {@link DropReason} and released here; a valid one belongs to
 * the next stage.
 */
public final class Ipv4Validator extends PacketHandler {
    private final boolean passFragments;

    /** @param passFragments whether fragments go on (to a reassembly stage) rather than being dropped */
    public Ipv4Validator(PacketCounters counters, PacketContext packet, boolean passFragments) {
        super(counters, packet);
        this.passFragments = passFragments;
    }

    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf buf) {
        if (packet.isIpv6()) {
            pass(ctx, buf);
            return;
        }
        Ipv4Packet ip = packet.ipv4();
        Defect defect = ip.check();
        if (defect != null) {
            drop(DropReason.of(defect), buf);
            return;
        }
        DropReason martian = martian(ip.source(), ip.destination());
        if (martian != null) {
            drop(martian, buf);
            return;
        }
        if (ip.headerLength() > Ipv4Packet.MIN_HEADER_LENGTH
                && Ipv4Options.hasSourceRoute(buf, ip.offset())) {
            drop(DropReason.SOURCE_ROUTE, buf);
            return;
        }
        if (!passFragments && ip.isFragment()) {
            drop(DropReason.FRAGMENT, buf);
            return;
        }
        ip.trimToTotalLength();
        pass(ctx, buf);
    }

    /** Linux's checks on addresses before any routing decision, or {@code null} when both may be used. */
    static DropReason martian(int src, int dst) {
        if (IpAddresses.isIpv4Multicast(src) || src == IpAddresses.IPV4_LIMITED_BROADCAST
                || IpAddresses.isIpv4ZeroNet(src) || IpAddresses.isIpv4Loopback(src)) {
            return DropReason.BAD_SOURCE;
        }
        if (IpAddresses.isIpv4ZeroNet(dst) || IpAddresses.isIpv4Loopback(dst)) {
            return DropReason.BAD_DESTINATION;
        }
        return null;
    }
}
