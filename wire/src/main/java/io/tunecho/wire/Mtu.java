package io.tunecho.wire;

/** The bounds of an interface's MTU, in bytes: what the transport, the responder and the configuration accept. */
public final class Mtu {
    /** The smallest MTU of an IPv4 link (RFC 791): a header of 60 bytes and 8 bytes of data. */
    public static final int MIN = 68;
    /** The largest: the longest IPv4 packet, whose total length is a 16-bit field. */
    public static final int MAX = Ipv4Packet.MAX_TOTAL_LENGTH;

    private Mtu() {
    }
}
