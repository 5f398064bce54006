package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/** The ICMPv4 header (RFC 792) as a view over a {@link ByteBuf} at {@code off}, the first byte of the message. */
public final class Icmpv4 {
    /** Field offsets from the start of the ICMP message. */
    public static final class Field {
        public static final int TYPE = 0;
        public static final int CODE = 1;
        public static final int CHECKSUM = 2;
        public static final int IDENT = 4;
        public static final int SEQ = 6;

        private Field() {
        }
    }

    public static final int HEADER_LENGTH = 8;
    public static final int ECHO_REPLY = 0;
    public static final int ECHO_REQUEST = 8;

    private Icmpv4() {
    }

    public static int type(ByteBuf buf, int off) {
        return buf.getUnsignedByte(off + Field.TYPE);
    }

    public static void setType(ByteBuf buf, int off, int type) {
        buf.setByte(off + Field.TYPE, type);
    }

    public static int code(ByteBuf buf, int off) {
        return buf.getUnsignedByte(off + Field.CODE);
    }

    public static int checksum(ByteBuf buf, int off) {
        return buf.getUnsignedShort(off + Field.CHECKSUM);
    }

    public static void setChecksum(ByteBuf buf, int off, int checksum) {
        buf.setShort(off + Field.CHECKSUM, checksum);
    }

    /** The echo identifier. */
    public static int identifier(ByteBuf buf, int off) {
        return buf.getUnsignedShort(off + Field.IDENT);
    }

    /** The echo sequence number. */
    public static int sequence(ByteBuf buf, int off) {
        return buf.getUnsignedShort(off + Field.SEQ);
    }
}
