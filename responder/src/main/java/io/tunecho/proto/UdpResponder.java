package io.tunecho.proto;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.hosts.AddressStates;
import io.tunecho.ip.IcmpErrorLimit;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.ReplyKind;
import io.tunecho.wire.IcmpErrors;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.IpPacket;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;
import io.tunecho.wire.UdpDatagram;

/**
 * Answers UDP as a host with no open UDP port does: ICMP port unreachable (RFC 1122 4.1.3.1; ICMPv6 code 4), from
 * the address the datagram was for, quoting it. That is what ends a UDP traceroute and tracepath at the host. The
 * error is subject to the ICMP error limits and goes out through the reply stage ({@code ReplyShaper}) like a reply (the host's delay,
 * the path's delays). Datagrams with a bad checksum are dropped, as a host's UDP layer drops them.
 *
 * <p>One instance per channel (it shares the channel's error limit). Buffers: the datagram is released here; the
 * error is a new buffer.
 */
public final class UdpResponder implements ProtocolHandler {
    private final UdpDatagram udp = new UdpDatagram();
    private final IcmpErrorLimit errorLimit;
    private int errorId;

    public UdpResponder(IcmpErrorLimit errorLimit) {
        this.errorLimit = errorLimit;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, ByteBuf buf, PacketContext packet, Answer answer) {
        IpPacket ip = packet.ip();
        UdpDatagram udp = this.udp.wrapPayloadOf(ip);
        if (!udp.isWhole() || !udp.isChecksumValidOrAbsent()) {
            answer.drop(DropReason.UDP_MALFORMED, buf);
            return;
        }
        long from;
        long to;
        if (ip.version() == 4) {
            from = AddressStates.ipv4Key(packet.ipv4().destination());
            to = AddressStates.ipv4Key(packet.ipv4().source());
        } else {
            from = AddressStates.ipv6Key(packet.ipv6().destinationHigh(), packet.ipv6().destinationLow());
            to = AddressStates.ipv6Key(packet.ipv6().sourceHigh(), packet.ipv6().sourceLow());
        }
        if (!errorLimit.allow(from, to)) {
            answer.drop(DropReason.ICMP_ERROR_RATE_LIMITED, buf);
            return;
        }
        ByteBuf error;
        if (ip.version() == 4) {
            Ipv4Packet v4 = packet.ipv4();
            error = IcmpErrors.ipv4(ctx.alloc(), v4, v4.destination(), IcmpMessage.V4.DESTINATION_UNREACHABLE,
                    IcmpErrors.CODE_PORT_UNREACHABLE, 0, packet.replyTtl(), errorId++ & 0xFFFF);
        } else {
            Ipv6Packet v6 = packet.ipv6();
            error = IcmpErrors.ipv6(ctx.alloc(), v6, v6.destinationHigh(), v6.destinationLow(),
                    IcmpMessage.V6.DESTINATION_UNREACHABLE, IcmpErrors.CODE_V6_PORT_UNREACHABLE, 0, packet.replyTtl());
        }
        buf.release();
        if (packet.host() != null) {
            packet.host().counters().errorSent();
        }
        packet.write(ctx, ReplyKind.ICMP_ERROR, error);
    }
}
