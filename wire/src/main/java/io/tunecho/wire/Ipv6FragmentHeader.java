package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/**
 * The IPv6 Fragment extension header (RFC 8200 4.5) as a view: next header, fragment offset (in bytes; a multiple of
 * 8 on the wire), the M flag and the identification. Place it with {@link #wrapIn(Ipv6Packet)} after the packet's
 * {@link Ipv6Packet#check()} found one, or with {@link #wrap} where a fragment header is being written.
 *
 * <pre>
 *  0               1               2               3
 * | Next Header   | Reserved      | Fragment Offset (13 bits) |Res|M|
 * | Identification (32 bits)                                      |
 * </pre>
 */
public final class Ipv6FragmentHeader {
    /** Field offsets from the start of the fragment header. */
    public static final class Field {
        public static final int NEXT_HEADER = 0;
        public static final int RESERVED = 1;
        public static final int OFFSET_FLAGS = 2;
        public static final int IDENT = 4;

        private Field() {
        }
    }

    public static final int LENGTH = Ipv6Packet.FRAGMENT_HEADER_LENGTH;
    private static final int MORE_FRAGMENTS = 1;
    private static final int OFFSET_MASK = 0xFFF8;

    private ByteBuf buf;
    private int off;

    /** Views the fragment header that {@code ip}'s {@link Ipv6Packet#check()} found; only when it found one. */
    public Ipv6FragmentHeader wrapIn(Ipv6Packet ip) {
        return wrap(ip.buffer(), ip.fragmentHeaderOffset());
    }

    /** Views the fragment header at {@code off}. */
    public Ipv6FragmentHeader wrap(ByteBuf buf, int off) {
        this.buf = buf;
        this.off = off;
        return this;
    }

    /** The index of the header's first byte. */
    public int offset() {
        return off;
    }

    /** The type of the header that follows: in the first fragment, the first header of the fragmentable part. */
    public int nextHeader() {
        return buf.getUnsignedByte(off + Field.NEXT_HEADER);
    }

    /** Where this fragment's data goes in the fragmentable part, in bytes. */
    public int fragmentOffset() {
        return buf.getUnsignedShort(off + Field.OFFSET_FLAGS) & OFFSET_MASK;
    }

    /** The M flag: more fragments follow. */
    public boolean moreFragments() {
        return (buf.getUnsignedShort(off + Field.OFFSET_FLAGS) & MORE_FRAGMENTS) != 0;
    }

    public int identification() {
        return buf.getInt(off + Field.IDENT);
    }

    /** An atomic fragment (RFC 6946): offset 0 and no more fragments, a whole packet with a fragment header. */
    public boolean isAtomic() {
        return (buf.getUnsignedShort(off + Field.OFFSET_FLAGS) & (OFFSET_MASK | MORE_FRAGMENTS)) == 0;
    }

    /**
     * Writes a fragment header at {@code off} of {@code buf} (reserved fields zero).
     *
     * @param offset the fragment's offset in bytes, a multiple of 8
     */
    public static void set(ByteBuf buf, int off, int nextHeader, int offset, boolean more, int identification) {
        if ((offset & 7) != 0 || offset > OFFSET_MASK) {
            throw new IllegalArgumentException("a fragment offset is a multiple of 8 below 65536: " + offset);
        }
        buf.setByte(off + Field.NEXT_HEADER, nextHeader);
        buf.setByte(off + Field.RESERVED, 0);
        buf.setShort(off + Field.OFFSET_FLAGS, offset | (more ? MORE_FRAGMENTS : 0));
        buf.setInt(off + Field.IDENT, identification);
    }
}
