package io.tunecho.ip;

import io.tunecho.wire.IpAddresses;

/**
 * What tells the datagrams in reassembly apart: source, destination, protocol and identification for IPv4 (RFC 791
 * 3.2); source, destination and identification for IPv6 (RFC 8200 4.5). Mutable, so that one instance per channel
 * can look a fragment's datagram up, and a datagram's own key be reused, without allocating; the hash is computed
 * once per {@code set}.
 */
final class FragmentKey {
    private int version;
    private long sourceHigh;
    private long sourceLow;
    private long destinationHigh;
    private long destinationLow;
    private int protocol;
    private int identification;
    private int hash;

    FragmentKey ipv4(int source, int destination, int protocol, int identification) {
        return set(4, 0, source & 0xFFFFFFFFL, 0, destination & 0xFFFFFFFFL, protocol, identification);
    }

    FragmentKey ipv6(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int identification) {
        return set(6, sourceHigh, sourceLow, destinationHigh, destinationLow, 0, identification);
    }

    private FragmentKey set(int version, long sh, long sl, long dh, long dl, int protocol, int identification) {
        this.version = version;
        this.sourceHigh = sh;
        this.sourceLow = sl;
        this.destinationHigh = dh;
        this.destinationLow = dl;
        this.protocol = protocol;
        this.identification = identification;
        this.hash = mix();
        return this;
    }

    /** Makes this key equal to {@code other}. */
    void copyFrom(FragmentKey other) {
        set(other.version, other.sourceHigh, other.sourceLow, other.destinationHigh, other.destinationLow,
                other.protocol, other.identification);
    }

    int version() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FragmentKey)) {
            return false;
        }
        FragmentKey k = (FragmentKey) o;
        return identification == k.identification && sourceLow == k.sourceLow && destinationLow == k.destinationLow
                && sourceHigh == k.sourceHigh && destinationHigh == k.destinationHigh && protocol == k.protocol
                && version == k.version;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    private int mix() {
        long h = identification * 0x9E3779B97F4A7C15L;
        h = (h ^ sourceLow) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ destinationLow) * 0x9E3779B97F4A7C15L;
        h = (h ^ sourceHigh ^ Long.rotateLeft(destinationHigh, 17)) * 0xC2B2AE3D27D4EB4FL;
        h ^= protocol | version << 8;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        if (version == 4) {
            return IpAddresses.formatIpv4((int) sourceLow) + " > " + IpAddresses.formatIpv4((int) destinationLow)
                    + " proto " + protocol + " id " + identification;
        }
        return IpAddresses.formatIpv6(sourceHigh, sourceLow) + " > "
                + IpAddresses.formatIpv6(destinationHigh, destinationLow) + " id " + Integer.toUnsignedString(
                identification);
    }
}
