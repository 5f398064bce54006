package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/** The fixed IPv6 header (RFC 8200) as a view over a {@link ByteBuf} at {@code off}. */
public final class Ipv6 {
    /** Field offsets from the start of the header. */
    public static final class Field {
        public static final int VER_TC_FLOW = 0;
        public static final int PAYLOAD_LENGTH = 4;
        public static final int NEXT_HEADER = 6;
        public static final int HOP_LIMIT = 7;
        public static final int SRC = 8;
        public static final int DST = 24;

        private Field() {
        }
    }

    public static final int VERSION = 6;
    public static final int HEADER_LENGTH = 40;
    public static final int NEXT_HEADER_ICMPV6 = 58;

    private Ipv6() {
    }

    /** The version nibble of any IP packet: 4 or 6 for the packets a TUN carries. */
    public static int ipVersion(ByteBuf buf, int off) {
        return (buf.getUnsignedByte(off) >> 4) & 0xF;
    }

    public static int payloadLength(ByteBuf buf, int off) {
        return buf.getUnsignedShort(off + Field.PAYLOAD_LENGTH);
    }

    public static int nextHeader(ByteBuf buf, int off) {
        return buf.getUnsignedByte(off + Field.NEXT_HEADER);
    }

    public static int hopLimit(ByteBuf buf, int off) {
        return buf.getUnsignedByte(off + Field.HOP_LIMIT);
    }
}
