package io.tunecho.proto;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.hosts.Behaviour;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.ReplyKind;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;
import io.tunecho.wire.TcpSegment;

import static io.tunecho.wire.TcpSegment.ACK;
import static io.tunecho.wire.TcpSegment.FIN;
import static io.tunecho.wire.TcpSegment.RST;
import static io.tunecho.wire.TcpSegment.SYN;

/**
 * Answers TCP as a Linux host does, for IPv4 and IPv6, without keeping any state per connection: a closed port (every
 * port that the host's {@code tcp.open} does not list) refuses with RST, so that TCP probes (nmap, a connect check)
 * see a live host that refuses; an open port answers a SYN with SYN-ACK, whose ISN is a {@link SynCookies SYN
 * cookie}, and closes the connection at once, cleanly, as a service that accepts and closes does, except that nothing
 * is remembered in between. A listener ignores segments with neither SYN nor ACK, and SYN with FIN. Resets are never
 * answered.
 *
 * <p>Each answer is built in place in the request's buffer: addresses and ports swapped, the request's IP options or
 * extension headers and its data dropped, the destination's {@linkplain PacketContext#replyTtl() reply TTL}. One
 * instance per channel (its view and its hash state are reused); nothing is allocated per packet.
 */
public final class TcpResponder implements ProtocolHandler {
    /** The MSS a host on an Ethernet-sized link (MTU 1500) announces. */
    static final int DEFAULT_MSS_V4 = 1460;
    static final int DEFAULT_MSS_V6 = 1440;
    /** The smallest MSS announced: every IPv4 host accepts 536 (RFC 9293 3.7.1), every IPv6 link carries 1220. */
    static final int MIN_MSS_V4 = 536;
    static final int MIN_MSS_V6 = 1220;
    private static final int ECN_MASK = 0x03;

    private final TcpSegment tcp = new TcpSegment();
    private final SynCookies cookies;

    public TcpResponder(SynCookies cookies) {
        this.cookies = cookies;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, ByteBuf buf, PacketContext packet, Answer answer) {
        TcpSegment tcp = this.tcp.wrapPayloadOf(packet.ip());
        if (!tcp.hasHeader()) {
            answer.drop(DropReason.TCP_TRUNCATED, buf);
            return;
        }
        if (!tcp.isChecksumValid()) {
            answer.drop(DropReason.BAD_TCP_CHECKSUM, buf);
            return;
        }
        int flags = tcp.flags();
        if ((flags & RST) != 0) {
            answer.drop(DropReason.TCP_RESET, buf);
            return;
        }
        Behaviour b = packet.behaviour();
        if (b == null || !b.tcpOpen().contains(tcp.destinationPort())) {
            closedPort(ctx, buf, packet, tcp, flags);
        } else if ((flags & ACK) != 0) {
            acknowledgment(ctx, buf, packet, tcp, flags, answer);
        } else if ((flags & (SYN | FIN)) == SYN) {
            int mss = announcedMss(tcp.maximumSegmentSize(), packet.ip().version());
            reply(ctx, buf, packet, tcp, SYN | ACK, cookies.cookie(packet, tcp), tcp.sequenceNumber() + 1, mss);
        } else {
            answer.drop(DropReason.TCP_LISTEN_DROP, buf);
        }
    }

    /**
     * A port nothing listens on: RST, as Linux's {@code tcp_v4_send_reset} and {@code tcp_v6_send_reset}: a segment
     * with ACK gets RST with the sequence number it acknowledged; any other gets RST|ACK with sequence number 0,
     * acknowledging the segment's data, SYN and FIN.
     */
    private void closedPort(ChannelHandlerContext ctx, ByteBuf buf, PacketContext packet, TcpSegment tcp, int flags) {
        if ((flags & ACK) != 0) {
            reply(ctx, buf, packet, tcp, RST, tcp.acknowledgmentNumber(), 0, -1);
        } else {
            reply(ctx, buf, packet, tcp, RST | ACK, 0, tcp.sequenceNumber() + tcp.segmentLength(), -1);
        }
    }

    /**
     * A segment with ACK to an open port: it belongs to a connection only if it acknowledges a valid cookie.
     * <ul>
     *   <li>the handshake's ACK (it acknowledges ISN+1), with or without data or FIN: FIN|ACK, acknowledging all of it;
     *       the client's connect() has succeeded and its next read sees the end of the stream;</li>
     *   <li>once the client has acknowledged that FIN (ISN+2): its FIN gets the last ACK; data gets RST, as Linux
     *       resets a closed socket that receives data; a bare ACK needs nothing;</li>
     *   <li>an ACK that acknowledges no valid cookie (forged, or older than the cookie's lifetime): RST, as a Linux
     *       listener answers an ACK whose cookie does not check.</li>
     * </ul>
     */
    private void acknowledgment(ChannelHandlerContext ctx, ByteBuf buf, PacketContext packet, TcpSegment tcp,
            int flags, Answer answer) {
        int ack = tcp.acknowledgmentNumber();
        if ((flags & SYN) == 0) {
            int next = tcp.sequenceNumber() + tcp.segmentLength();
            if (cookies.isValid(ack - 1, packet, tcp)) {
                // The handshake is complete (or the client has not seen our FIN yet): close, acknowledging all.
                reply(ctx, buf, packet, tcp, FIN | ACK, ack, next, -1);
                return;
            }
            if (cookies.isValid(ack - 2, packet, tcp)) {
                // Our FIN is acknowledged: the host's socket is closed.
                if (tcp.dataLength() > 0) {
                    reply(ctx, buf, packet, tcp, RST, ack, 0, -1);
                } else if ((flags & FIN) != 0) {
                    reply(ctx, buf, packet, tcp, ACK, ack, next, -1);
                } else {
                    answer.drop(DropReason.TCP_ACK_OF_FIN, buf);
                }
                return;
            }
        }
        // A listener answers an ACK that is not part of a connection (a forged or expired cookie, a SYN-ACK) with RST.
        reply(ctx, buf, packet, tcp, RST, ack, 0, -1);
    }

    /**
     * The MSS of a SYN-ACK: the client's (a host on the same link has the same MTU), or 1460 / 1440 when it sent
     * none. The SYN-ACK carries this one option, and no window scaling, SACK or timestamps: what Linux sends to a SYN
     * that asks for none of them, and a host with those turned off sends to any SYN.
     */
    static int announcedMss(int clientMss, int ipVersion) {
        if (ipVersion == Ipv4Packet.VERSION) {
            return clientMss < 0 ? DEFAULT_MSS_V4 : Math.max(clientMss, MIN_MSS_V4);
        }
        return clientMss < 0 ? DEFAULT_MSS_V6 : Math.max(clientMss, MIN_MSS_V6);
    }

    /** The receive window Linux announces before window scaling: the largest multiple of the MSS that fits 16 bits. */
    static int window(int mss) {
        return 65535 / mss * mss;
    }

    /**
     * Turns the request into the answer, in place, and writes it.
     *
     * @param mss the MSS option's value, or -1 for no option
     */
    private static void reply(ChannelHandlerContext ctx, ByteBuf buf, PacketContext packet, TcpSegment tcp,
            int flags, int seq, int ack, int mss) {
        int tcpOffset = tcp.offset();
        int headerLength = TcpSegment.MIN_HEADER_LENGTH;
        if (mss > 0) {
            headerLength += TcpSegment.MSS_OPTION_LENGTH;
            int missing = tcpOffset + headerLength - buf.writerIndex();
            if (missing > 0 && buf.maxWritableBytes() < missing) {
                headerLength = TcpSegment.MIN_HEADER_LENGTH; // a buffer that cannot grow: no option then
            } else if (missing > 0) {
                buf.ensureWritable(missing);
            }
        }
        buf.writerIndex(tcpOffset + headerLength);
        int version = packet.ip().version();
        tcp.swapPorts();
        tcp.setSequenceNumber(seq);
        tcp.setAcknowledgmentNumber(ack);
        tcp.setHeaderLength(headerLength);
        tcp.setFlags(flags);
        tcp.setWindow((flags & RST) != 0 ? 0
                : window(mss > 0 ? mss : version == Ipv4Packet.VERSION ? DEFAULT_MSS_V4 : DEFAULT_MSS_V6));
        tcp.setUrgentPointer(0);
        if (headerLength > TcpSegment.MIN_HEADER_LENGTH) {
            tcp.setMaximumSegmentSizeOption(mss);
        }
        if (version == Ipv4Packet.VERSION) {
            toReplyHeader(packet.ipv4(), tcpOffset, headerLength, (flags & RST) != 0, packet.replyTtl());
        } else {
            toReplyHeader(packet.ipv6(), tcpOffset, headerLength, packet.replyTtl());
        }
        tcp.wrapPayloadOf(packet.ip()).fillChecksum();
        packet.write(ctx, ReplyKind.TCP, buf);
    }

    /**
     * The IPv4 header of the answer, right before the TCP header, as Linux writes it: no options, DF set,
     * identification 0, a reset's TOS that of the segment it answers (ECN bits cleared), TOS 0 otherwise.
     */
    private static void toReplyHeader(Ipv4Packet ip, int tcpOffset, int tcpLength, boolean reset, int ttl) {
        ByteBuf buf = ip.buffer();
        int tos = ip.tos();
        int fixed = tcpOffset - Ipv4Packet.MIN_HEADER_LENGTH;
        if (fixed != ip.offset()) {
            buf.setBytes(fixed, buf, ip.offset(), Ipv4Packet.MIN_HEADER_LENGTH); // drop the options
            buf.readerIndex(fixed);
            ip.wrap(buf, fixed);
        }
        ip.setHeaderLength(Ipv4Packet.MIN_HEADER_LENGTH);
        ip.setTos(reset ? tos & ~ECN_MASK : 0);
        ip.setTotalLength(Ipv4Packet.MIN_HEADER_LENGTH + tcpLength);
        ip.setIdentification(0);
        ip.setFlagsAndFragmentOffset(Ipv4Packet.FLAG_DF);
        ip.setTtl(ttl);
        ip.swapAddresses();
        ip.fillChecksum();
    }

    /** The IPv6 header of the answer, right before the TCP header: no extension headers, class and flow label 0. */
    private static void toReplyHeader(Ipv6Packet ip, int tcpOffset, int tcpLength, int hopLimit) {
        ByteBuf buf = ip.buffer();
        int fixed = tcpOffset - Ipv6Packet.HEADER_LENGTH;
        if (fixed != ip.offset()) {
            buf.setBytes(fixed, buf, ip.offset(), Ipv6Packet.HEADER_LENGTH); // drop the extension headers
            buf.readerIndex(fixed);
        }
        ip.wrap(buf, fixed); // its upper layer now starts right after the fixed header
        ip.setVersionClassFlow(Ipv6Packet.VERSION << 28);
        ip.setPayloadLength(tcpLength);
        ip.setNextHeader(TcpSegment.PROTOCOL);
        ip.setHopLimit(hopLimit);
        ip.swapAddresses();
    }
}
