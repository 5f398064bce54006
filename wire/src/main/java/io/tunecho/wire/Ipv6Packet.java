package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/**
 * An IPv6 packet (RFC 8200) as a view over a {@link ByteBuf}: {@link #wrap} it at the fixed header's first byte and
 * {@link #check()} it, which also walks the extension headers, so that {@link #upperLayerProtocol()} and
 * {@link #upperLayerOffset()} name the header that follows them (ICMPv6, UDP, TCP, ...). A view is reused from
 * packet to packet; reading a packet allocates nothing.
 */
public final class Ipv6Packet implements IpPacket {
    /** Field offsets from the start of the fixed header. */
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
    public static final int HOP_BY_HOP = 0;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int DESTINATION_OPTIONS = 60;
    public static final int NO_NEXT_HEADER = 59;
    public static final int FRAGMENT_HEADER_LENGTH = 8;

    private ByteBuf buf;
    private int off;
    private int upperProtocol;
    private int upperOffset;
    private int fragmentHeader;
    private int lastNextHeaderField;

    /** Views the packet that starts at {@code buf}'s reader index. */
    public Ipv6Packet wrap(ByteBuf buf) {
        return wrap(buf, buf.readerIndex());
    }

    public Ipv6Packet wrap(ByteBuf buf, int off) {
        this.buf = buf;
        this.off = off;
        this.upperProtocol = NO_NEXT_HEADER;
        this.upperOffset = off + HEADER_LENGTH;
        this.fragmentHeader = -1;
        this.lastNextHeaderField = off + Field.NEXT_HEADER;
        return this;
    }

    /**
     * Validates the fixed header (version, a payload length that fits what was read) and walks the extension
     * headers: each must fit the packet, and a hop-by-hop header may only come first (RFC 8200 4.1).
     *
     * @return {@code null} when valid, else what is wrong
     */
    public Defect check() {
        int read = buf.writerIndex() - off;
        if (read < HEADER_LENGTH) {
            return read > 0 && version() != VERSION ? Defect.BAD_VERSION : Defect.TRUNCATED;
        }
        if (version() != VERSION) {
            return Defect.BAD_VERSION;
        }
        int end = off + HEADER_LENGTH + payloadLength();
        if (payloadLength() > read - HEADER_LENGTH) {
            return Defect.BAD_TOTAL_LENGTH;
        }
        int next = nextHeader();
        int p = off + HEADER_LENGTH;
        int nextField = off + Field.NEXT_HEADER;
        for (int count = 0; ; count++) {
            if (next == HOP_BY_HOP && count > 0) {
                return Defect.BAD_EXTENSION_HEADER;
            }
            if (next == HOP_BY_HOP || next == ROUTING || next == DESTINATION_OPTIONS) {
                if (p + 8 > end) {
                    return Defect.BAD_EXTENSION_HEADER;
                }
                int length = (buf.getUnsignedByte(p + 1) + 1) * 8;
                if (p + length > end) {
                    return Defect.BAD_EXTENSION_HEADER;
                }
                nextField = p;
                next = buf.getUnsignedByte(p);
                p += length;
            } else if (next == FRAGMENT) {
                if (p + FRAGMENT_HEADER_LENGTH > end || fragmentHeader >= 0) {
                    return Defect.BAD_EXTENSION_HEADER;
                }
                fragmentHeader = p;
                nextField = p;
                next = buf.getUnsignedByte(p);
                p += FRAGMENT_HEADER_LENGTH;
                if (fragmentOffset() != 0) {
                    break; // a later fragment: what follows is data, not headers
                }
            } else {
                break;
            }
        }
        upperProtocol = next;
        upperOffset = p;
        lastNextHeaderField = nextField;
        return null;
    }

    /** Cuts what follows the payload length (a link may pad). */
    public void trimToPayloadLength() {
        buf.writerIndex(off + HEADER_LENGTH + payloadLength());
    }

    @Override
    public ByteBuf buffer() {
        return buf;
    }

    @Override
    public int offset() {
        return off;
    }

    @Override
    public int version() {
        return (buf.getUnsignedByte(off) >> 4) & 0xF;
    }

    /** The first 32 bits: version, traffic class and flow label. */
    public int versionClassFlow() {
        return buf.getInt(off + Field.VER_TC_FLOW);
    }

    public void setVersionClassFlow(int word) {
        buf.setInt(off + Field.VER_TC_FLOW, word);
    }

    public int payloadLength() {
        return buf.getUnsignedShort(off + Field.PAYLOAD_LENGTH);
    }

    public void setPayloadLength(int length) {
        buf.setShort(off + Field.PAYLOAD_LENGTH, length);
    }

    public int nextHeader() {
        return buf.getUnsignedByte(off + Field.NEXT_HEADER);
    }

    public void setNextHeader(int value) {
        buf.setByte(off + Field.NEXT_HEADER, value);
    }

    public int hopLimit() {
        return buf.getUnsignedByte(off + Field.HOP_LIMIT);
    }

    public void setHopLimit(int hopLimit) {
        buf.setByte(off + Field.HOP_LIMIT, hopLimit);
    }

    public long sourceHigh() {
        return buf.getLong(off + Field.SRC);
    }

    public long sourceLow() {
        return buf.getLong(off + Field.SRC + 8);
    }

    public long destinationHigh() {
        return buf.getLong(off + Field.DST);
    }

    public long destinationLow() {
        return buf.getLong(off + Field.DST + 8);
    }

    public void setSource(long hi, long lo) {
        buf.setLong(off + Field.SRC, hi);
        buf.setLong(off + Field.SRC + 8, lo);
    }

    public void setDestination(long hi, long lo) {
        buf.setLong(off + Field.DST, hi);
        buf.setLong(off + Field.DST + 8, lo);
    }

    /** Swaps source and destination (IPv6 has no header checksum to update). */
    public void swapAddresses() {
        long sh = sourceHigh();
        long sl = sourceLow();
        setSource(destinationHigh(), destinationLow());
        setDestination(sh, sl);
    }

    /** After {@link #check()}: the protocol of the header that follows the extension headers. */
    @Override
    public int upperLayerProtocol() {
        return upperProtocol;
    }

    /** After {@link #check()}: the index of the header that follows the extension headers. */
    @Override
    public int upperLayerOffset() {
        return upperOffset;
    }

    /** After {@link #check()}: the bytes from {@link #upperLayerOffset()} to the end of the payload. */
    @Override
    public int upperLayerLength() {
        return off + HEADER_LENGTH + payloadLength() - upperOffset;
    }

    /** After {@link #check()}: the index of the Next Header field that names the upper layer. */
    public int upperLayerNextHeaderField() {
        return lastNextHeaderField;
    }

    /** After {@link #check()}: whether a fragment header is present. */
    public boolean isFragment() {
        return fragmentHeader >= 0;
    }

    /** After {@link #check()}: the index of the fragment header, or -1. */
    public int fragmentHeaderOffset() {
        return fragmentHeader;
    }

    /** The fragment offset in bytes (0 without a fragment header). */
    public int fragmentOffset() {
        return fragmentHeader < 0 ? 0 : buf.getUnsignedShort(fragmentHeader + 2) & 0xFFF8;
    }

    /** Whether the fragment header says more fragments follow. */
    public boolean moreFragments() {
        return fragmentHeader >= 0 && (buf.getUnsignedShort(fragmentHeader + 2) & 1) != 0;
    }

    /** The fragment header's identification. */
    public int fragmentIdentification() {
        return fragmentHeader < 0 ? 0 : buf.getInt(fragmentHeader + 4);
    }

    @Override
    public long pseudoHeaderSum(int protocol, int upperLayerLength) {
        long sum = 0;
        for (int i = 0; i < 32; i += 4) {
            sum += buf.getUnsignedInt(off + Field.SRC + i);
        }
        return sum + upperLayerLength + protocol;
    }
}
