package io.tunecho.wire;

/**
 * A view of a UDP datagram (RFC 768) in the payload of an {@link IpPacket}, at the offsets the RFC names. Wrap it
 * with {@link #wrapPayloadOf}, check {@link #isWhole()}, then read; it copies nothing and is reused per packet.
 */
public final class UdpDatagram extends UpperLayerView {
    /** Field offsets from the start of the header, named after RFC 768. */
    public static final class Field {
        public static final int SRC_PORT = 0;
        public static final int DST_PORT = 2;
        public static final int LENGTH = 4;
        public static final int CHECKSUM = 6;

        private Field() {
        }
    }

    /** UDP's IP protocol number. */
    public static final int PROTOCOL = 17;
    public static final int HEADER_LENGTH = 8;

    public UdpDatagram() {
        super(Field.CHECKSUM);
    }

    /** Views the upper-layer payload of {@code ip} as a UDP datagram. */
    public UdpDatagram wrapPayloadOf(IpPacket ip) {
        wrap(ip);
        return this;
    }

    /** UDP's checksum covers the IPv4 or IPv6 pseudo-header, with the datagram's own length. */
    @Override
    long pseudoHeaderSum() {
        return ip.pseudoHeaderSum(PROTOCOL, udpLength());
    }

    /** Whether the header is there and its length field lies between the header's and the IP payload's length. */
    public boolean isWhole() {
        if (length < HEADER_LENGTH) {
            return false;
        }
        int udpLength = udpLength();
        return udpLength >= HEADER_LENGTH && udpLength <= length;
    }

    /**
     * Whether the checksum is right over the datagram's own length (which may be shorter than the IP payload), or
     * absent: an IPv4 checksum of 0 means none was computed (RFC 768); IPv6 requires one (RFC 8200 8.1).
     */
    public boolean isChecksumValidOrAbsent() {
        if (checksum() == 0 && ip.version() == Ipv4Packet.VERSION) {
            return true;
        }
        return InternetChecksum.isValidSum(InternetChecksum.accumulate(pseudoHeaderSum(), buf, off, udpLength()));
    }

    public int sourcePort() {
        return buf.getUnsignedShort(off + Field.SRC_PORT);
    }

    public int destinationPort() {
        return buf.getUnsignedShort(off + Field.DST_PORT);
    }

    /** The length field: header and data, in bytes. */
    public int udpLength() {
        return buf.getUnsignedShort(off + Field.LENGTH);
    }
}
