package io.tunecho.wire;

/**
 * An ICMP message, ICMPv4 (RFC 792) or ICMPv6 (RFC 4443), as a view over the payload of the {@link IpPacket} that
 * carries it: it can only be placed with {@link #wrapPayloadOf}, so an IP offset cannot be mistaken for an ICMP one.
 * Both versions share the header layout (type, code, checksum, then for echo messages identifier and sequence);
 * the ICMPv6 checksum also covers the IPv6 pseudo-header.
 */
public final class IcmpMessage extends UpperLayerView {
    /** Field offsets from the start of the message. */
    public static final class Field {
        public static final int TYPE = 0;
        public static final int CODE = 1;
        public static final int CHECKSUM = 2;
        /** Echo: identifier; errors: unused (or the pointer, or the next-hop MTU). */
        public static final int IDENT = 4;
        public static final int SEQ = 6;
        /** Errors: where the quoted packet starts. */
        public static final int BODY = 8;

        private Field() {
        }
    }

    public static final int HEADER_LENGTH = 8;

    /** ICMPv4 types (RFC 792). */
    public static final class V4 {
        public static final int ECHO_REPLY = 0;
        public static final int DESTINATION_UNREACHABLE = 3;
        public static final int ECHO_REQUEST = 8;
        public static final int TIME_EXCEEDED = 11;
        public static final int PARAMETER_PROBLEM = 12;
        public static final int TIMESTAMP_REQUEST = 13;

        private V4() {
        }
    }

    /** ICMPv6 types (RFC 4443, RFC 4861). */
    public static final class V6 {
        public static final int DESTINATION_UNREACHABLE = 1;
        public static final int PACKET_TOO_BIG = 2;
        public static final int TIME_EXCEEDED = 3;
        public static final int PARAMETER_PROBLEM = 4;
        public static final int ECHO_REQUEST = 128;
        public static final int ECHO_REPLY = 129;
        public static final int NEIGHBOR_SOLICITATION = 135;

        private V6() {
        }
    }

    /** The IP protocol numbers of ICMP and ICMPv6. */
    public static final int PROTOCOL_V4 = 1;
    public static final int PROTOCOL_V6 = 58;

    public IcmpMessage() {
        super(Field.CHECKSUM);
    }

    /** Views the upper-layer payload of {@code ip} as an ICMP message. */
    public IcmpMessage wrapPayloadOf(IpPacket ip) {
        wrap(ip);
        return this;
    }

    /** ICMPv6's checksum covers the IPv6 pseudo-header; ICMPv4's covers the message alone. */
    @Override
    long pseudoHeaderSum() {
        return ip.version() == 6 ? ip.pseudoHeaderSum(PROTOCOL_V6, length) : 0;
    }

    /** Whether the message is at least as long as the 8-byte header. */
    public boolean hasHeader() {
        return length >= HEADER_LENGTH;
    }

    public int type() {
        return buf.getUnsignedByte(off + Field.TYPE);
    }

    public int code() {
        return buf.getUnsignedByte(off + Field.CODE);
    }

    /** The first 16-bit word: {@code type << 8 | code}. */
    public int typeAndCode() {
        return buf.getUnsignedShort(off + Field.TYPE);
    }

    /**
     * Sets type and code and updates the checksum incrementally (RFC 1624): the rest of the message, and so
     * the ICMPv6 pseudo-header, stays as it was.
     */
    public void setTypeAndCodeAndUpdateChecksum(int type, int code) {
        int old = typeAndCode();
        int word = (type & 0xFF) << 8 | (code & 0xFF);
        buf.setShort(off + Field.TYPE, word);
        setChecksum(InternetChecksum.update(checksum(), old, word));
    }

    /** The echo identifier. */
    public int identifier() {
        return buf.getUnsignedShort(off + Field.IDENT);
    }

    /** Sets the echo identifier; the checksum is the caller's to update ({@link InternetChecksum#update}). */
    public void setIdentifier(int identifier) {
        buf.setShort(off + Field.IDENT, identifier);
    }

    /** The echo sequence number. */
    public int sequence() {
        return buf.getUnsignedShort(off + Field.SEQ);
    }

    /** Sets the echo sequence number; the checksum is the caller's to update ({@link InternetChecksum#update}). */
    public void setSequence(int sequence) {
        buf.setShort(off + Field.SEQ, sequence);
    }

    /** Whether this is an error message (as opposed to a query or a reply): an ICMP error never answers one. */
    public boolean isError() {
        int type = type();
        if (ip.version() == 6) {
            return type < 128;
        }
        return type == V4.DESTINATION_UNREACHABLE || type == 4 || type == 5 || type == V4.TIME_EXCEEDED
                || type == V4.PARAMETER_PROBLEM;
    }
}
