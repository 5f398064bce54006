package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/**
 * An IPv4 packet (RFC 791) as a view over a {@link ByteBuf}: {@link #wrap} it at the header's first byte, then read
 * and write the fields by name. A view is reused from packet to packet (one per channel), so reading a packet
 * allocates nothing. {@link #check()} validates the header once; after it passed, every accessor may be used
 * without further checks.
 */
public final class Ipv4Packet implements IpPacket {
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
        public static final int OPTIONS = 20;

        private Field() {
        }
    }

    public static final int VERSION = 4;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int MAX_TOTAL_LENGTH = 65535;
    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private ByteBuf buf;
    private int off;

    /** Views the packet that starts at {@code buf}'s reader index. */
    public Ipv4Packet wrap(ByteBuf buf) {
        return wrap(buf, buf.readerIndex());
    }

    /** Views the packet whose header starts at {@code off}. */
    public Ipv4Packet wrap(ByteBuf buf, int off) {
        this.buf = buf;
        this.off = off;
        return this;
    }

    /**
     * Validates the header as a host does before it looks inside (RFC 1122 3.2.1): the version, a header of at
     * least 20 bytes that fits, a total length that fits what the buffer holds up to its writer index, the header
     * checksum, and well-formed options.
     *
     * @return {@code null} when the header is valid, else what is wrong
     */
    public Defect check() {
        int read = buf.writerIndex() - off;
        if (read < MIN_HEADER_LENGTH) {
            return read > 0 && version() != VERSION ? Defect.BAD_VERSION : Defect.TRUNCATED;
        }
        if (version() != VERSION) {
            return Defect.BAD_VERSION;
        }
        int headerLength = headerLength();
        if (headerLength < MIN_HEADER_LENGTH || headerLength > read) {
            return Defect.BAD_HEADER_LENGTH;
        }
        int totalLength = totalLength();
        if (totalLength < headerLength || totalLength > read) {
            return Defect.BAD_TOTAL_LENGTH;
        }
        if (!InternetChecksum.isValid(buf, off, headerLength)) {
            return Defect.BAD_HEADER_CHECKSUM;
        }
        if (headerLength > MIN_HEADER_LENGTH && Ipv4Options.problem(buf, off) >= 0) {
            return Defect.BAD_OPTIONS;
        }
        return null;
    }

    /** Cuts what follows the total length (a link may pad): sets the writer index to the packet's end. */
    public void trimToTotalLength() {
        buf.writerIndex(off + totalLength());
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
        return (buf.getUnsignedByte(off + Field.VER_IHL) >> 4) & 0xF;
    }

    /** The header length in bytes (IHL × 4). */
    public int headerLength() {
        return (buf.getUnsignedByte(off + Field.VER_IHL) & 0xF) << 2;
    }

    /** Sets version 4 and the header length in bytes (a multiple of 4). */
    public void setHeaderLength(int bytes) {
        buf.setByte(off + Field.VER_IHL, VERSION << 4 | bytes >> 2);
    }

    public int tos() {
        return buf.getUnsignedByte(off + Field.TOS);
    }

    public void setTos(int tos) {
        buf.setByte(off + Field.TOS, tos);
    }

    public int totalLength() {
        return buf.getUnsignedShort(off + Field.LENGTH);
    }

    public void setTotalLength(int length) {
        buf.setShort(off + Field.LENGTH, length);
    }

    public int identification() {
        return buf.getUnsignedShort(off + Field.IDENT);
    }

    public void setIdentification(int id) {
        buf.setShort(off + Field.IDENT, id);
    }

    /** The flags and fragment offset word. */
    public int flagsAndFragmentOffset() {
        return buf.getUnsignedShort(off + Field.FLAGS_FRAG);
    }

    public void setFlagsAndFragmentOffset(int word) {
        buf.setShort(off + Field.FLAGS_FRAG, word);
    }

    public boolean dontFragment() {
        return (flagsAndFragmentOffset() & FLAG_DF) != 0;
    }

    public boolean moreFragments() {
        return (flagsAndFragmentOffset() & FLAG_MF) != 0;
    }

    /** The fragment offset in bytes. */
    public int fragmentOffset() {
        return (flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK) << 3;
    }

    /** Whether the packet is a fragment: more fragments follow, or it is not the first. */
    public boolean isFragment() {
        return (flagsAndFragmentOffset() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return buf.getUnsignedByte(off + Field.TTL);
    }

    /** Sets the TTL and updates the header checksum incrementally (RFC 1624). */
    public void setTtlAndUpdateChecksum(int ttl) {
        int oldWord = buf.getUnsignedShort(off + Field.TTL);
        int newWord = (ttl & 0xFF) << 8 | (oldWord & 0xFF);
        buf.setByte(off + Field.TTL, ttl);
        setChecksum(InternetChecksum.update(checksum(), oldWord, newWord));
    }

    public void setTtl(int ttl) {
        buf.setByte(off + Field.TTL, ttl);
    }

    public int protocol() {
        return buf.getUnsignedByte(off + Field.PROTOCOL);
    }

    public void setProtocol(int protocol) {
        buf.setByte(off + Field.PROTOCOL, protocol);
    }

    public int checksum() {
        return buf.getUnsignedShort(off + Field.CHECKSUM);
    }

    public void setChecksum(int checksum) {
        buf.setShort(off + Field.CHECKSUM, checksum);
    }

    /** Computes and stores the header checksum over {@link #headerLength} bytes. */
    public void fillChecksum() {
        setChecksum(0);
        setChecksum(InternetChecksum.compute(buf, off, headerLength()));
    }

    public int source() {
        return buf.getInt(off + Field.SRC);
    }

    public void setSource(int address) {
        buf.setInt(off + Field.SRC, address);
    }

    public int destination() {
        return buf.getInt(off + Field.DST);
    }

    public void setDestination(int address) {
        buf.setInt(off + Field.DST, address);
    }

    /**
     * Swaps source and destination. The header checksum stays right: it is a sum, and the same two words are
     * summed in another order.
     */
    public void swapAddresses() {
        int src = source();
        setSource(destination());
        setDestination(src);
    }

    /** IPv4 has no extension headers: the upper layer is {@link #protocol()}. */
    @Override
    public int upperLayerProtocol() {
        return protocol();
    }

    /** The index of the payload's first byte (after the options). */
    @Override
    public int upperLayerOffset() {
        return off + headerLength();
    }

    /** The payload's length: total length minus header length. */
    @Override
    public int upperLayerLength() {
        return totalLength() - headerLength();
    }

    @Override
    public long pseudoHeaderSum(int protocol, int upperLayerLength) {
        int src = source();
        int dst = destination();
        return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + protocol + upperLayerLength;
    }
}
