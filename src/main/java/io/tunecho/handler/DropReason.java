package io.tunecho.handler;

/** Every reason tunecho drops a packet instead of answering it. Each has a counter in {@link PacketCounters}. */
public enum DropReason {
    /** An IPv6 packet (tunecho answers IPv4 only): the kernel's router solicitations and MLD reports, mostly. */
    IPV6("ipv6"),
    /** The version nibble is neither 4 nor 6. */
    BAD_VERSION("bad_version"),
    /** Shorter than a minimal IPv4 header. */
    TRUNCATED("truncated"),
    /** IHL below 5, or a header longer than the packet. */
    BAD_HEADER_LENGTH("bad_header_length"),
    /** Total length shorter than the header or longer than what was read. */
    BAD_TOTAL_LENGTH("bad_total_length"),
    BAD_HEADER_CHECKSUM("bad_header_checksum"),
    /** A fragment: tunecho does not reassemble. */
    FRAGMENT("fragment"),
    /** An IPv4 packet that is not ICMP. */
    NOT_ICMP("not_icmp"),
    /** An ICMP message shorter than its 8-byte header. */
    ICMP_TRUNCATED("icmp_truncated"),
    BAD_ICMP_CHECKSUM("bad_icmp_checksum"),
    /** ICMP, but not an echo request (type 8, code 0). */
    NOT_ECHO_REQUEST("not_echo_request"),
    /** To a broadcast or multicast address: a host does not answer those with unicast echo replies here. */
    BROADCAST_OR_MULTICAST("broadcast_or_multicast"),
    /** From 0.0.0.0/8, loopback, multicast or 240.0.0.0/4: no one to answer. */
    BAD_SOURCE("bad_source"),
    /** To an address tunecho does not answer for. */
    NOT_ANSWERED("not_answered"),
    /** A message that is not a {@code ByteBuf}. */
    NOT_A_PACKET("not_a_packet");

    private final String metricName;

    DropReason(String metricName) {
        this.metricName = metricName;
    }

    /** A short lowercase name for logs and metrics. */
    public String metricName() {
        return metricName;
    }
}
