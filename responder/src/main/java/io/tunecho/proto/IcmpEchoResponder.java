package io.tunecho.proto;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.hosts.Clock;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.ReplyKind;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.InternetChecksum;
import io.tunecho.wire.Ipv4OptionEcho;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;

/**
 * Answers ICMP echo requests, IPv4 and IPv6, in place: the request's own buffer becomes the echo reply (addresses
 * swapped, the destination's {@linkplain PacketContext#replyTtl() reply TTL or hop limit}, type 0 or 129,
 * identifier, sequence and payload untouched, checksums updated incrementally per RFC 1624). IPv4 Record Route and
 * Timestamp options come back filled in by the path and the host, as from Linux behind routers; other options and
 * IPv6 extension headers are not echoed. The header moves so that it ends where the ICMP message starts, so the
 * payload stays where it is. Other ICMP messages, and requests that are short or corrupt, are dropped.
 *
 * <p>One instance per channel (it keeps a scratch array for options).
 */
public final class IcmpEchoResponder implements ProtocolHandler {

    /** Scratch for a reply's options: the responder runs on one event loop at a time per channel. */
    private final byte[] options = new byte[Ipv4OptionEcho.MAX_LENGTH];
    private final Clock clock;

    /** @param clock where the host reads the time of day it writes into a Timestamp option */
    public IcmpEchoResponder(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, ByteBuf buf, PacketContext packet, Answer answer) {
        IcmpMessage icmp = packet.icmp();
        boolean v6 = packet.ip().version() == 6;
        if (!icmp.hasHeader()) {
            answer.drop(DropReason.ICMP_TRUNCATED, buf);
            return;
        }
        if (icmp.type() != (v6 ? IcmpMessage.V6.ECHO_REQUEST : IcmpMessage.V4.ECHO_REQUEST) || icmp.code() != 0) {
            answer.drop(DropReason.NOT_ECHO_REQUEST, buf);
            return;
        }
        if (!icmp.isChecksumValid()) {
            answer.drop(DropReason.BAD_ICMP_CHECKSUM, buf);
            return;
        }
        if (v6) {
            // The pseudo-header's sum does not change when the addresses swap: the type is the only word to update.
            icmp.setTypeAndCodeAndUpdateChecksum(IcmpMessage.V6.ECHO_REPLY, 0);
            toReplyHeader(packet.ipv6(), packet.replyTtl());
        } else {
            Ipv4Packet ip = packet.ipv4();
            if (ip.headerLength() > Ipv4Packet.MIN_HEADER_LENGTH) {
                withOptions(ip, packet);
            } else {
                toReplyHeader(ip, packet.replyTtl());
            }
            icmp.setTypeAndCodeAndUpdateChecksum(IcmpMessage.V4.ECHO_REPLY, 0);
        }
        packet.write(ctx, ReplyKind.ECHO, buf);
    }

    /**
     * A request with options: the reply carries Record Route and Timestamp back, filled in by the path and the host
     * as Linux and routers fill them ({@link Ipv4OptionEcho}); other options are not echoed. The reply's header
     * ends where the ICMP message starts, so the payload stays where it is.
     */
    private void withOptions(Ipv4Packet ip, PacketContext packet) {
        ByteBuf buf = ip.buffer();
        int icmp = ip.upperLayerOffset();
        int hops = packet.hopCount();
        long hostMillis = packet.behaviour() == null ? 0 : packet.behaviour().delayNanos() / 1_000_000;
        long hopMillis = hops == 0 ? 0 : packet.pathDelayNanos() / hops / 1_000_000;
        int optionLength = Ipv4OptionEcho.build(ip, ip.destination(), packet.hops(), hops, clock.currentTimeMillis(),
                hostMillis, hopMillis, options);
        int src = ip.source();
        int dst = ip.destination();
        int tos = ip.tos();
        int id = ip.identification();
        int flags = ip.flagsAndFragmentOffset();
        int protocol = ip.protocol();
        int headerLength = Ipv4Packet.MIN_HEADER_LENGTH + optionLength;
        int start = icmp - headerLength;
        ip.wrap(buf, start);
        ip.setHeaderLength(headerLength);
        buf.setByte(start + Ipv4Packet.Field.TOS, tos);
        ip.setTotalLength(buf.writerIndex() - start);
        ip.setIdentification(id);
        ip.setFlagsAndFragmentOffset(flags);
        ip.setTtl(packet.replyTtl());
        ip.setProtocol(protocol);
        ip.setSource(dst);
        ip.setDestination(src);
        buf.setBytes(start + Ipv4Packet.Field.OPTIONS, options, 0, optionLength);
        buf.readerIndex(start);
        ip.fillChecksum();
    }

    /**
     * Turns the request's IPv6 header into the reply's: addresses swapped, the reply hop limit, and no extension
     * headers (Linux's echo replies carry none): the fixed header moves forward to end where the ICMPv6 message
     * starts.
     */
    private static void toReplyHeader(Ipv6Packet ip, int hopLimit) {
        ByteBuf buf = ip.buffer();
        int icmp = ip.upperLayerOffset();
        int icmpLength = ip.upperLayerLength();
        if (icmp != ip.offset() + Ipv6Packet.HEADER_LENGTH) {
            int fixed = icmp - Ipv6Packet.HEADER_LENGTH;
            buf.setBytes(fixed, buf, ip.offset(), Ipv6Packet.HEADER_LENGTH);
            buf.readerIndex(fixed);
            ip.wrap(buf, fixed);
            ip.setNextHeader(IcmpMessage.PROTOCOL_V6);
            ip.setPayloadLength(icmpLength);
        }
        ip.swapAddresses();
        ip.setHopLimit(hopLimit);
    }

    /** Turns the request's IPv4 header into the reply's: addresses swapped, the reply TTL, no options. */
    private static void toReplyHeader(Ipv4Packet ip, int ttl) {
        ByteBuf buf = ip.buffer();
        int headerLength = ip.headerLength();
        if (headerLength > Ipv4Packet.MIN_HEADER_LENGTH) {
            // Drop the options: move the fixed header forward so that it ends where the ICMP message starts.
            int fixed = ip.offset() + headerLength - Ipv4Packet.MIN_HEADER_LENGTH;
            buf.setBytes(fixed, buf, ip.offset(), Ipv4Packet.MIN_HEADER_LENGTH);
            buf.readerIndex(fixed);
            ip.wrap(buf, fixed);
            ip.setHeaderLength(Ipv4Packet.MIN_HEADER_LENGTH);
            ip.setTotalLength(buf.writerIndex() - fixed);
            ip.setTtl(ttl);
            ip.swapAddresses();
            ip.fillChecksum();
            return;
        }
        // Swapping the addresses leaves the header's sum unchanged; only the TTL word moves.
        ip.swapAddresses();
        ip.setTtlAndUpdateChecksum(ttl);
        assert InternetChecksum.isValid(buf, ip.offset(), Ipv4Packet.MIN_HEADER_LENGTH);
    }
}
