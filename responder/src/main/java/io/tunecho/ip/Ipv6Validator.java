package io.tunecho.ip;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.PacketHandler;
import io.tunecho.wire.Defect;
import io.tunecho.wire.IpAddresses;
import io.tunecho.wire.Ipv6Packet;

/**
 * Validates IPv6 packets as a Linux host does before it looks inside, and lets IPv4 packets pass: the fixed header
 * and the extension headers ({@link Ipv6Packet#check()}), then the addresses that are never valid (Linux's
 * {@code ipv6_rcv}: a multicast or loopback source, a loopback destination). Traffic to multicast destinations,
 * which nothing here answers (the kernel's router solicitations and MLD reports, mostly), is dropped and counted as
 * {@link DropReason#IPV6}; with {@code ipv6Answered} false (no IPv6 address on the interface) all IPv6 is.
 * A valid packet goes on trimmed to its payload length. Fragments are dropped unless a reassembly stage follows.
 *
 * <p>Buffers: a dropped packet is released here; a packet passed on belongs to the next stage.
 */
public final class Ipv6Validator extends PacketHandler {
    private final boolean answered;
    private final boolean passFragments;

    /**
     * @param answered      whether tunecho answers IPv6 (the interface has an IPv6 address)
     * @param passFragments whether fragments go on (to a reassembly stage) rather than being dropped
     */
    public Ipv6Validator(PacketCounters counters, PacketContext packet, boolean answered, boolean passFragments) {
        super(counters, packet);
        this.answered = answered;
        this.passFragments = passFragments;
    }

    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf buf) {
        if (!packet.isIpv6()) {
            pass(ctx, buf);
            return;
        }
        if (!answered) {
            drop(DropReason.IPV6, buf);
            return;
        }
        Ipv6Packet ip = packet.ipv6();
        Defect defect = ip.check();
        if (defect != null) {
            drop(DropReason.of(defect), buf);
            return;
        }
        long srcHi = ip.sourceHigh();
        long srcLo = ip.sourceLow();
        long dstHi = ip.destinationHigh();
        long dstLo = ip.destinationLow();
        if (IpAddresses.isIpv6Multicast(srcHi) || IpAddresses.isIpv6Loopback(srcHi, srcLo)
                || IpAddresses.isIpv4Mapped(srcHi, srcLo)) {
            drop(DropReason.BAD_SOURCE, buf);
            return;
        }
        if (IpAddresses.isIpv6Loopback(dstHi, dstLo) || IpAddresses.isIpv6Unspecified(dstHi, dstLo)
                || IpAddresses.isIpv4Mapped(dstHi, dstLo)) {
            drop(DropReason.BAD_DESTINATION, buf);
            return;
        }
        if (IpAddresses.isIpv6Multicast(dstHi)) {
            drop(DropReason.IPV6, buf); // router solicitations, MLD reports, ...: nothing here answers those
            return;
        }
        if (!passFragments && ip.isFragment()) {
            drop(DropReason.FRAGMENT, buf);
            return;
        }
        ip.trimToPayloadLength();
        pass(ctx, buf);
    }
}
