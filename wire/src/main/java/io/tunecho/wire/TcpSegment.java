package io.tunecho.wire;

/**
 * A TCP segment (RFC 9293) as a view over the payload of the {@link IpPacket} that carries it: it can only be placed
 * with {@link #wrapPayloadOf}, so an IP offset cannot be mistaken for a TCP one. The checksum covers the IPv4 or
 * IPv6 pseudo-header. Sequence and acknowledgment numbers are {@code int}s: TCP's arithmetic is modulo 2^32, as
 * Java's {@code int} arithmetic is. A view is reused from packet to packet; reading one allocates nothing.
 */
public final class TcpSegment extends UpperLayerView {
    /** Field offsets from the start of the header, named after RFC 9293 3.1. */
    public static final class Field {
        public static final int SRC_PORT = 0;
        public static final int DST_PORT = 2;
        public static final int SEQ = 4;
        public static final int ACK = 8;
        /** The data offset (header length in 32-bit words) in the high nibble; reserved bits below it. */
        public static final int DATA_OFFSET = 12;
        public static final int FLAGS = 13;
        public static final int WINDOW = 14;
        public static final int CHECKSUM = 16;
        public static final int URGENT = 18;
        public static final int OPTIONS = 20;

        private Field() {
        }
    }

    /** The control bits of {@link Field#FLAGS}. */
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    /** TCP's IP protocol number. */
    public static final int PROTOCOL = 6;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    /** Option kinds (RFC 9293 3.2). */
    public static final int OPTION_END = 0;
    public static final int OPTION_NOP = 1;
    public static final int OPTION_MSS = 2;
    public static final int MSS_OPTION_LENGTH = 4;

    public TcpSegment() {
        super(Field.CHECKSUM);
    }

    /** Views the upper-layer payload of {@code ip} as a TCP segment. */
    public TcpSegment wrapPayloadOf(IpPacket ip) {
        wrap(ip);
        return this;
    }

    /** TCP's checksum covers the IPv4 or IPv6 pseudo-header. */
    @Override
    long pseudoHeaderSum() {
        return ip.pseudoHeaderSum(PROTOCOL, length);
    }

    /**
     * Whether the segment holds its whole header: at least 20 bytes, and a data offset of at least 5 words that
     * does not run past the segment. The other accessors assume it does.
     */
    public boolean hasHeader() {
        if (length < MIN_HEADER_LENGTH) {
            return false;
        }
        int headerLength = headerLength();
        return headerLength >= MIN_HEADER_LENGTH && headerLength <= length;
    }

    public int sourcePort() {
        return buf.getUnsignedShort(off + Field.SRC_PORT);
    }

    public void setSourcePort(int port) {
        buf.setShort(off + Field.SRC_PORT, port);
    }

    public int destinationPort() {
        return buf.getUnsignedShort(off + Field.DST_PORT);
    }

    public void setDestinationPort(int port) {
        buf.setShort(off + Field.DST_PORT, port);
    }

    /** Swaps source and destination port. */
    public void swapPorts() {
        buf.setInt(off + Field.SRC_PORT, Integer.rotateLeft(buf.getInt(off + Field.SRC_PORT), 16));
    }

    /** The sequence number (modulo 2^32). */
    public int sequenceNumber() {
        return buf.getInt(off + Field.SEQ);
    }

    public void setSequenceNumber(int seq) {
        buf.setInt(off + Field.SEQ, seq);
    }

    /** The acknowledgment number (modulo 2^32; meaningful when {@link #ACK} is set). */
    public int acknowledgmentNumber() {
        return buf.getInt(off + Field.ACK);
    }

    public void setAcknowledgmentNumber(int ack) {
        buf.setInt(off + Field.ACK, ack);
    }

    /** The header length in bytes, options included (data offset × 4). */
    public int headerLength() {
        return (buf.getUnsignedByte(off + Field.DATA_OFFSET) >> 4) << 2;
    }

    /** Sets the data offset from a header length in bytes (a multiple of 4); clears the reserved bits. */
    public void setHeaderLength(int bytes) {
        buf.setByte(off + Field.DATA_OFFSET, (bytes >> 2) << 4);
    }

    /** The control bits: {@link #FIN}, {@link #SYN}, {@link #RST}, {@link #PSH}, {@link #ACK}, ... */
    public int flags() {
        return buf.getUnsignedByte(off + Field.FLAGS);
    }

    public void setFlags(int flags) {
        buf.setByte(off + Field.FLAGS, flags);
    }

    /** Whether every bit of {@code flags} is set. */
    public boolean has(int flags) {
        return (flags() & flags) == flags;
    }

    public int window() {
        return buf.getUnsignedShort(off + Field.WINDOW);
    }

    public void setWindow(int window) {
        buf.setShort(off + Field.WINDOW, window);
    }

    public int urgentPointer() {
        return buf.getUnsignedShort(off + Field.URGENT);
    }

    public void setUrgentPointer(int pointer) {
        buf.setShort(off + Field.URGENT, pointer);
    }

    /** The bytes of data after the header. */
    public int dataLength() {
        return length - headerLength();
    }

    /**
     * The sequence space the segment takes (RFC 9293's SEG.LEN): its data, plus one for a SYN and one for a FIN.
     * An answer acknowledges {@code sequenceNumber() + segmentLength()}.
     */
    public int segmentLength() {
        int flags = flags();
        return dataLength() + ((flags >> 1) & 1) + (flags & FIN);
    }

    /**
     * The maximum segment size option's value, or -1 when there is none. Walks the options as Linux's
     * {@code tcp_parse_options} does: end-of-list and a malformed length end the walk; an MSS option of another
     * length than 4 is skipped.
     */
    public int maximumSegmentSize() {
        int end = off + headerLength();
        int p = off + Field.OPTIONS;
        while (p < end) {
            int kind = buf.getUnsignedByte(p);
            if (kind == OPTION_END) {
                return -1;
            }
            if (kind == OPTION_NOP) {
                p++;
                continue;
            }
            if (p + 1 >= end) {
                return -1;
            }
            int size = buf.getUnsignedByte(p + 1);
            if (size < 2 || p + size > end) {
                return -1;
            }
            if (kind == OPTION_MSS && size == MSS_OPTION_LENGTH) {
                return buf.getUnsignedShort(p + 2);
            }
            p += size;
        }
        return -1;
    }

    /**
     * Writes a maximum segment size option as the header's first option (the header must be at least 24 bytes
     * long, and the buffer must hold them).
     */
    public void setMaximumSegmentSizeOption(int mss) {
        buf.setShort(off + Field.OPTIONS, OPTION_MSS << 8 | MSS_OPTION_LENGTH);
        buf.setShort(off + Field.OPTIONS + 2, mss);
    }
}
