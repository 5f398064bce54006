package io.tunecho.ip;

/**
 * What the IP layer asks of the hosts behind it before it answers a packet with an ICMP error of its own
 * (reassembly time exceeded, an IPv6 parameter problem): whether a host that is up answers the destination now,
 * and the TTL (IPv4) or hop limit (IPv6) of what that host sends. The hosts' policy answers from its host table.
 */
public interface HostsBehind {
    /** The TTL of an error from IPv4 address {@code destination}: -1 when no host that is up answers there. */
    int ipv4ErrorTtl(int destination, long nanoTime);

    /** The hop limit of an error from the IPv6 address {@code high:low}: -1 when no host that is up answers there. */
    int ipv6ErrorTtl(long high, long low, long nanoTime);
}
