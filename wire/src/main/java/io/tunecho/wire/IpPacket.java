package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/**
 * What an upper-layer view (ICMP, UDP, TCP) needs of the IP packet that carries it, whatever the IP version: where
 * its payload is, and the pseudo-header sum that UDP, TCP and ICMPv6 checksums cover.
 */
public interface IpPacket {
    /** Linux's default TTL (IPv4, {@code net.ipv4.ip_default_ttl}) and hop limit (IPv6). */
    int DEFAULT_TTL = 64;

    /** 4 or 6. */
    int version();

    ByteBuf buffer();

    /** The index of the IP header's first byte. */
    int offset();

    /** The upper-layer protocol (IPv6: after the extension headers). */
    int upperLayerProtocol();

    /** The index of the upper-layer header's first byte. */
    int upperLayerOffset();

    /** The bytes from {@link #upperLayerOffset()} to the packet's end. */
    int upperLayerLength();

    /**
     * The one's complement sum (not folded to 16 bits, not complemented) of the pseudo-header that an upper-layer
     * checksum covers: RFC 768 / 793 for IPv4, RFC 8200 8.1 for IPv6.
     */
    long pseudoHeaderSum(int protocol, int upperLayerLength);
}
