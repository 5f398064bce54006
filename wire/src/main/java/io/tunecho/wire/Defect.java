package io.tunecho.wire;

/**
 * What makes a packet malformed, as found by a wire view's {@code check}: the faults a host finds before it looks
 * at what a packet means. Each has a drop reason of the same name where packets are counted.
 */
public enum Defect {
    /** Shorter than the fixed header of its format. */
    TRUNCATED,
    /** The IP version nibble is not the format's. */
    BAD_VERSION,
    /** IPv4: IHL below 5, or a header longer than the packet. */
    BAD_HEADER_LENGTH,
    /** A length field that is shorter than the header or longer than what was read. */
    BAD_TOTAL_LENGTH,
    /** IPv4: the header checksum is wrong. */
    BAD_HEADER_CHECKSUM,
    /** IPv4: options that are not well formed (RFC 791; what Linux's ip_options_compile refuses). */
    BAD_OPTIONS,
    /** IPv6: an extension header that runs past the packet, or one that must not be where it is. */
    BAD_EXTENSION_HEADER
}
