package io.tunecho.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes ICMP error messages (destination unreachable, time exceeded, parameter problem) about a received packet,
 * as RFC 792 and RFC 1812 4.3.2.3 describe them and Linux sends them: a new IPv4 header from the reporting address
 * to the packet's source, the ICMP header, then as much of the packet as keeps the error within 576 bytes.
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
}
