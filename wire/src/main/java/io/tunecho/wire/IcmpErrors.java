package io.tunecho.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes ICMP error messages (destination unreachable, time exceeded, parameter problem) about a received packet,
 * as RFC 792 and RFC 1812 4.3.2.3 describe them and Linux sends them: a new IPv4 header from the reporting address
 * to the packet's source, the ICMP header, then as much of the packet as keeps the error within 576 bytes. ICMPv6
 * errors (RFC 4443) likewise, within 1280 bytes.
 */
public final class IcmpErrors {
    /** The largest IPv4 datagram an error may be (RFC 1812 4.3.2.3). */
    public static final int MAX_IPV4_ERROR_LENGTH = 576;
    private static final int PREC_INTERNETCONTROL = 0xC0;
    private static final int TOS_MASK = 0x1E;

    /** Destination unreachable codes (RFC 792, RFC 1122). */
    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    /** Time exceeded code, ICMPv4 (RFC 792) and ICMPv6 (RFC 4443 3.3) alike: fragment reassembly time exceeded. */
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;
    /** ICMPv6 destination unreachable codes (RFC 4443 3.1). */
    public static final int CODE_V6_ADDRESS_UNREACHABLE = 3;
    public static final int CODE_V6_PORT_UNREACHABLE = 4;
    /** ICMPv6 parameter problem code (RFC 4443 3.4): erroneous header field encountered. */
    public static final int CODE_V6_ERRONEOUS_HEADER_FIELD = 0;
    /** The largest ICMPv6 error, headers included: the IPv6 minimum MTU (RFC 4443 2.4 (c)). */
    public static final int MAX_IPV6_ERROR_LENGTH = 1280;

    private IcmpErrors() {
    }

    /**
     * An ICMPv4 error about {@code original} (a validated packet, read from its header's first byte).
     *
     * @param from           the reporting address (a router's, or the host's)
     * @param type           the ICMP type, e.g. {@link IcmpMessage.V4#DESTINATION_UNREACHABLE}
     * @param code           the code
     * @param restOfHeader   the 32-bit word after the checksum (0, a pointer {@code << 24}, a next-hop MTU)
     * @param ttl            the error's TTL
     * @param identification the error's IP identification
     * @return a new buffer holding the error, which the caller owns
     */
    public static ByteBuf ipv4(ByteBufAllocator alloc, Ipv4Packet original, int from, int type, int code,
            int restOfHeader, int ttl, int identification) {
        ByteBuf in = original.buffer();
        int quoted = Math.min(original.totalLength(), in.writerIndex() - original.offset());
        quoted = Math.min(quoted, MAX_IPV4_ERROR_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH - IcmpMessage.HEADER_LENGTH);
        int length = Ipv4Packet.MIN_HEADER_LENGTH + IcmpMessage.HEADER_LENGTH + quoted;
        ByteBuf out = alloc.directBuffer(length, length);
        out.writeByte(Ipv4Packet.VERSION << 4 | Ipv4Packet.MIN_HEADER_LENGTH / 4);
        out.writeByte(original.tos() & TOS_MASK | PREC_INTERNETCONTROL);
        out.writeShort(length);
        out.writeShort(identification);
        out.writeShort(0);
        out.writeByte(ttl);
        out.writeByte(IcmpMessage.PROTOCOL_V4);
        out.writeShort(0);
        out.writeInt(from);
        out.writeInt(original.source());
        out.writeByte(type);
        out.writeByte(code);
        out.writeShort(0);
        out.writeInt(restOfHeader);
        out.writeBytes(in, original.offset(), quoted);
        Ipv4Packet ip = new Ipv4Packet().wrap(out, 0);
        ip.fillChecksum();
        new IcmpMessage().wrapPayloadOf(ip).fillChecksum();
        return out;
    }

    /**
     * An ICMPv6 error about {@code original} (a validated packet, read from its fixed header's first byte): a new
     * IPv6 header from the reporting address to the packet's source, the ICMPv6 header with its checksum over the
     * pseudo-header, then as much of the packet as keeps the error within 1280 bytes (RFC 4443 2.4 (c)).
     *
     * @param fromHigh     the reporting address, first 64 bits
     * @param fromLow      the reporting address, last 64 bits
     * @param type         the ICMPv6 type, e.g. {@link IcmpMessage.V6#TIME_EXCEEDED}
     * @param code         the code
     * @param restOfHeader the 32-bit word after the checksum (0, a parameter problem's pointer, an MTU)
     * @param hopLimit     the error's hop limit
     * @return a new buffer holding the error, which the caller owns
     */
    public static ByteBuf ipv6(ByteBufAllocator alloc, Ipv6Packet original, long fromHigh, long fromLow, int type,
            int code, int restOfHeader, int hopLimit) {
        ByteBuf in = original.buffer();
        int quoted = Math.min(Ipv6Packet.HEADER_LENGTH + original.payloadLength(), in.writerIndex() - original.offset());
        quoted = Math.min(quoted, MAX_IPV6_ERROR_LENGTH - Ipv6Packet.HEADER_LENGTH - IcmpMessage.HEADER_LENGTH);
        int payload = IcmpMessage.HEADER_LENGTH + quoted;
        int length = Ipv6Packet.HEADER_LENGTH + payload;
        ByteBuf out = alloc.directBuffer(length, length);
        out.writeInt(Ipv6Packet.VERSION << 28);
        out.writeShort(payload);
        out.writeByte(IcmpMessage.PROTOCOL_V6);
        out.writeByte(hopLimit);
        out.writeLong(fromHigh);
        out.writeLong(fromLow);
        out.writeLong(original.sourceHigh());
        out.writeLong(original.sourceLow());
        out.writeByte(type);
        out.writeByte(code);
        out.writeShort(0);
        out.writeInt(restOfHeader);
        out.writeBytes(in, original.offset(), quoted);
        Ipv6Packet ip = new Ipv6Packet().wrap(out, 0);
        if (ip.check() != null) {
            out.release();
            throw new IllegalStateException("built a malformed ICMPv6 error");
        }
        new IcmpMessage().wrapPayloadOf(ip).fillChecksum();
        return out;
    }
}
