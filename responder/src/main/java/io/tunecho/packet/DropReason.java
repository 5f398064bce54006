package io.tunecho.packet;

import io.tunecho.wire.Defect;

/**
 * Every reason tunecho drops a packet instead of answering it. Each has a counter in {@link PacketCounters}; logs
 * and metrics use {@link #metricName()}.
 */
public enum DropReason {
    /** An IPv6 packet that nothing answers (the kernel's router solicitations and MLD reports, mostly). */
    IPV6("ipv6"),
    /** The version nibble is neither 4 nor 6. */
    BAD_VERSION("bad_version"),
    /** Shorter than a minimal IP header. */
    TRUNCATED("truncated"),
    /** IHL below 5, or a header longer than the packet. */
    BAD_HEADER_LENGTH("bad_header_length"),
    /** Total (or payload) length shorter than the header or longer than what was read. */
    BAD_TOTAL_LENGTH("bad_total_length"),
    BAD_HEADER_CHECKSUM("bad_header_checksum"),
    /** IPv4 options that are not well formed (a Linux host drops these too). */
    BAD_OPTIONS("bad_options"),
    /** IPv6 extension headers that run past the packet or are out of order. */
    BAD_EXTENSION_HEADER("bad_extension_header"),
    /** A loose or strict source route: a Linux host drops these (accept_source_route is off). */
    SOURCE_ROUTE("source_route"),
    /** A fragment that is not reassembled (the pipeline has no reassembly stage). */
    FRAGMENT("fragment"),
    /** A fragment whose data had all arrived already: dropped, its datagram's reassembly goes on. */
    FRAGMENT_DUPLICATE("fragment_duplicate"),
    /**
     * A fragment that overlaps part of one received before: its whole datagram is dropped (RFC 5722 for IPv6; Linux
     * does the same for IPv4). Every fragment of the datagram counts.
     */
    FRAGMENT_OVERLAP("fragment_overlap"),
    /**
     * A fragment that would make its datagram longer than 65,535 bytes. An IPv6 one is answered with ICMPv6 parameter
     * problem when its host is up and the error rate allows, and then counts as an {@code icmp_error} reply instead.
     */
    FRAGMENT_OVERSIZED("fragment_oversized"),
    /**
     * A fragment without data, or one before the last whose data is not a multiple of 8 bytes. An IPv6 one is
     * answered with ICMPv6 parameter problem when it can be, as for {@link #FRAGMENT_OVERSIZED}.
     */
    FRAGMENT_BAD_LENGTH("fragment_bad_length"),
    /**
     * Fragments that disagree on where their datagram ends (two last fragments with different ends, or data past
     * the end): its whole datagram is dropped, as Linux does. Every fragment of the datagram counts.
     */
    FRAGMENT_INCONSISTENT("fragment_inconsistent"),
    /** Fragments that did not fit within the reassembly caps (datagrams or bytes held); every fragment counts. */
    REASSEMBLY_CAP("reassembly_cap"),
    /** Fragments of a datagram that did not complete within the reassembly time-out; every fragment counts. */
    REASSEMBLY_TIMEOUT("reassembly_timeout"),
    /** A protocol that nothing answers. */
    UNHANDLED_PROTOCOL("unhandled_protocol"),
    /** A UDP datagram with a bad length or checksum. */
    UDP_MALFORMED("udp_malformed"),
    /** An ICMP message shorter than its 8-byte header. */
    ICMP_TRUNCATED("icmp_truncated"),
    BAD_ICMP_CHECKSUM("bad_icmp_checksum"),
    /** ICMP, but not an echo request (type 8 or 128, code 0). */
    NOT_ECHO_REQUEST("not_echo_request"),
    /** A TCP segment shorter than its header (20 bytes, or what its data offset says). */
    TCP_TRUNCATED("tcp_truncated"),
    BAD_TCP_CHECKSUM("bad_tcp_checksum"),
    /** A TCP reset: never answered (RFC 9293 3.10.7); Linux ignores one for a connection it does not have. */
    TCP_RESET("tcp_reset"),
    /**
     * To an open port, a segment that a listening socket drops: neither SYN nor ACK (nmap's FIN, NULL and Xmas
     * scans), or SYN with FIN.
     */
    TCP_LISTEN_DROP("tcp_listen_drop"),
    /** An ACK of a virtual host's FIN (or a repeat of one): the connection is closed, and it needs no answer. */
    TCP_ACK_OF_FIN("tcp_ack_of_fin"),
    /** To a broadcast or multicast address: a Linux host ignores echo requests to those. */
    BROADCAST_OR_MULTICAST("broadcast_or_multicast"),
    /**
     * A martian source (RFC 1122 3.2.1.3, Linux's ip_route_input): 0.0.0.0/8, loopback, multicast, a broadcast
     * address, or the destination's own address.
     */
    BAD_SOURCE("bad_source"),
    /** A martian destination: 0.0.0.0/8 or loopback. */
    BAD_DESTINATION("bad_destination"),
    /** To an address tunecho does not answer for. */
    NOT_ANSWERED("not_answered"),
    /** To a host that is down. */
    HOST_DOWN("host_down"),
    /** Through a virtual router that is down: everything behind it is. */
    PATH_DOWN("path_down"),
    /** The TTL (hop limit) ran out at a virtual router that sent no ICMP error for it (about an ICMP error). */
    TTL_EXCEEDED("ttl_exceeded"),
    /** An ICMP error (time exceeded, port unreachable) over the rate limit (RFC 1812 4.3.2.8, Linux's limits). */
    ICMP_ERROR_RATE_LIMITED("icmp_error_rate_limited"),
    /** Lost, by the host's loss model. */
    LOSS("loss"),
    /** Over the host's rate limit. */
    RATE_LIMITED("rate_limited"),
    /** Over the global or per-source limit of answers ({@code limits.*}). */
    REPLY_LIMIT("reply_limit"),
    /** The reply was to be delayed, and the delayed-reply queue was full. */
    DELAY_QUEUE_FULL("delay_queue_full"),
    /** A message that is not a {@code ByteBuf}. */
    NOT_A_PACKET("not_a_packet"),
    /** An echo request whose identifier the host's {@code echo-id-filter} has seen for too long. */
    ECHO_ID_FILTERED("echo_id_filtered");

    private static final DropReason[] BY_DEFECT = new DropReason[Defect.values().length];

    static {
        BY_DEFECT[Defect.TRUNCATED.ordinal()] = TRUNCATED;
        BY_DEFECT[Defect.BAD_VERSION.ordinal()] = BAD_VERSION;
        BY_DEFECT[Defect.BAD_HEADER_LENGTH.ordinal()] = BAD_HEADER_LENGTH;
        BY_DEFECT[Defect.BAD_TOTAL_LENGTH.ordinal()] = BAD_TOTAL_LENGTH;
        BY_DEFECT[Defect.BAD_HEADER_CHECKSUM.ordinal()] = BAD_HEADER_CHECKSUM;
        BY_DEFECT[Defect.BAD_OPTIONS.ordinal()] = BAD_OPTIONS;
        BY_DEFECT[Defect.BAD_EXTENSION_HEADER.ordinal()] = BAD_EXTENSION_HEADER;
    }

    private final String metricName;

    DropReason(String metricName) {
        this.metricName = metricName;
    }

    /** A short lowercase name for logs and metrics. */
    public String metricName() {
        return metricName;
    }

    /** The reason a packet with this wire defect is dropped for. */
    public static DropReason of(Defect defect) {
        return BY_DEFECT[defect.ordinal()];
    }
}
