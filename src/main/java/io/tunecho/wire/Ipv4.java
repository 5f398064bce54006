package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/**
 * The IPv4 header (RFC 791) as a view over a {@link ByteBuf}: static accessors at {@code off}, the index of the
 * header's first byte. Nothing is checked here: validate once (see {@code Ipv4Decoder}), then read freely.
 */
public final class Ipv4 {
    /** Field offsets from the start of the header, named after RFC 791. */
    public static final class Field {
        public static final int VER_IHL = 0;
        public static final int TOS = 1;
        public static final int LENGTH = 2;
        public static final int IDENT = 4;
        public static final int FLAGS_FRAG = 6;
        public static final int TTL = 8;
        public static final int PROTOCOL = 9;
        public static final int CHECKSUM = 10;
        public static final int SRC = 12;
        public static final int DST = 16;

        private Field() {
        }
    }

    public static final int VERSION = 4;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int PROTOCOL_ICMP = 1;
    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;
    public static final int LIMITED_BROADCAST = 0xFFFFFFFF;

    private Ipv4() {
    }

    public static int version(ByteBuf buf, int off) {
        return (buf.getUnsignedByte(off + Field.VER_IHL) >> 4) & 0xF;
    }

    /** The header length in bytes (IHL × 4). */
    public static int headerLength(ByteBuf buf, int off) {
        return (buf.getUnsignedByte(off + Field.VER_IHL) & 0xF) << 2;
    }

    /** Sets version 4 and the header length in bytes (a multiple of 4). */
    public static void setHeaderLength(ByteBuf buf, int off, int bytes) {
        buf.setByte(off + Field.VER_IHL, VERSION << 4 | bytes >> 2);
    }

    public static int totalLength(ByteBuf buf, int off) {
        return buf.getUnsignedShort(off + Field.LENGTH);
    }

    public static void setTotalLength(ByteBuf buf, int off, int length) {
        buf.setShort(off + Field.LENGTH, length);
    }

    public static int identification(ByteBuf buf, int off) {
        return buf.getUnsignedShort(off + Field.IDENT);
    }

    public static boolean dontFragment(ByteBuf buf, int off) {
        return (buf.getUnsignedShort(off + Field.FLAGS_FRAG) & FLAG_DF) != 0;
    }

    public static boolean moreFragments(ByteBuf buf, int off) {
        return (buf.getUnsignedShort(off + Field.FLAGS_FRAG) & FLAG_MF) != 0;
    }

    /** The fragment offset in 8-byte units. */
    public static int fragmentOffset(ByteBuf buf, int off) {
        return buf.getUnsignedShort(off + Field.FLAGS_FRAG) & FRAGMENT_OFFSET_MASK;
    }

    /** Whether the packet is a fragment: more fragments follow, or it is not the first. */
    public static boolean isFragment(ByteBuf buf, int off) {
        return (buf.getUnsignedShort(off + Field.FLAGS_FRAG) & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public static int ttl(ByteBuf buf, int off) {
        return buf.getUnsignedByte(off + Field.TTL);
    }

    public static void setTtl(ByteBuf buf, int off, int ttl) {
        buf.setByte(off + Field.TTL, ttl);
    }

    public static int protocol(ByteBuf buf, int off) {
        return buf.getUnsignedByte(off + Field.PROTOCOL);
    }

    public static int checksum(ByteBuf buf, int off) {
        return buf.getUnsignedShort(off + Field.CHECKSUM);
    }

    public static void setChecksum(ByteBuf buf, int off, int checksum) {
        buf.setShort(off + Field.CHECKSUM, checksum);
    }

    /** Computes and stores the header checksum over {@link #headerLength} bytes. */
    public static void fillChecksum(ByteBuf buf, int off) {
        setChecksum(buf, off, 0);
        setChecksum(buf, off, InternetChecksum.compute(buf, off, headerLength(buf, off)));
    }

    public static int source(ByteBuf buf, int off) {
        return buf.getInt(off + Field.SRC);
    }

    public static void setSource(ByteBuf buf, int off, int address) {
        buf.setInt(off + Field.SRC, address);
    }

    public static int destination(ByteBuf buf, int off) {
        return buf.getInt(off + Field.DST);
    }

    public static void setDestination(ByteBuf buf, int off, int address) {
        buf.setInt(off + Field.DST, address);
    }

    /** 224.0.0.0/4. */
    public static boolean isMulticast(int address) {
        return (address & 0xF0000000) == 0xE0000000;
    }

    /** Whether a packet may come from this address: not 0/8, 127/8, multicast or 240/4 (which holds 255.255.255.255). */
    public static boolean isUnicastSource(int address) {
        int first = address >>> 24;
        return first != 0 && first != 127 && first < 224;
    }
}
