package io.tunecho.wire;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address with a prefix length, as written in CIDR notation ({@code 198.18.0.1/24},
 * {@code fd00:198:18::1/64}). The address is kept as given (host bits are not cleared): {@code 198.18.0.1/24} is
 * both the interface address {@code 198.18.0.1} and the subnet {@code 198.18.0.0/24}. Immutable.
 *
 * <p>An IPv4 address is an {@code int}; an IPv6 address is two {@code long}s, the high and the low 64 bits. The
 * formats are the textual ones of RFC 4291 (section 2.2) for input and RFC 5952 for output; host names are never
 * looked up.
 */
public final class IpCidr {
    /** 2^64 divided by the golden ratio, odd: the multiplier of {@link #hashCode()}. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final boolean ipv6;
    private final long hi;
    private final long lo;
    private final int prefixLength;

    private IpCidr(boolean ipv6, long hi, long lo, int prefixLength) {
        this.ipv6 = ipv6;
        this.hi = hi;
        this.lo = lo;
        this.prefixLength = prefixLength;
    }

    /** @throws IllegalArgumentException if the prefix length is not within 0..32 */
    public static IpCidr ipv4(int address, int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("an IPv4 prefix length is 0..32, not " + prefixLength);
        }
        return new IpCidr(false, 0, address & 0xFFFFFFFFL, prefixLength);
    }

    /** @throws IllegalArgumentException if the prefix length is not within 0..128 */
    public static IpCidr ipv6(long hi, long lo, int prefixLength) {
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("an IPv6 prefix length is 0..128, not " + prefixLength);
        }
        return new IpCidr(true, hi, lo, prefixLength);
    }

    /**
     * Parses {@code ADDRESS/N} or a bare {@code ADDRESS} (a single address: {@code /32} or {@code /128}). IPv4 is
     * dotted-quad decimal only; IPv6 is RFC 4291's text form (hex groups, one {@code ::}, a dotted IPv4 tail).
     *
     * @throws IllegalArgumentException with a message that quotes the text and says what is wrong
     */
    public static IpCidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no address given");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        boolean v6 = addr.indexOf(':') >= 0;
        int max = v6 ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !IpAddresses.allDigits(p) || Integer.parseInt(p) > max) {
                throw new IllegalArgumentException("'" + s + "' is not a CIDR: the prefix length must be 0.."
                        + max);
            }
            prefix = Integer.parseInt(p);
        }
        if (v6) {
            long[] a = IpAddresses.parseIpv6(addr, s);
            return new IpCidr(true, a[0], a[1], prefix);
        }
        return new IpCidr(false, 0, IpAddresses.parseIpv4(addr, s) & 0xFFFFFFFFL, prefix);
    }

    public boolean isIpv6() {
        return ipv6;
    }

    public boolean isIpv4() {
        return !ipv6;
    }

    /** The most a prefix of this family can be long: 32 or 128. */
    public int maxPrefixLength() {
        return ipv6 ? 128 : 32;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** Whether this names a single address ({@code /32}, {@code /128}). */
    public boolean isSingleAddress() {
        return prefixLength == maxPrefixLength();
    }

    // ---- IPv4

    /** The IPv4 address as given, host bits included. */
    public int ipv4Address() {
        requireIpv4();
        return (int) lo;
    }

    /** The IPv4 netmask: {@code /24} is {@code 0xFFFFFF00}. */
    public int ipv4Netmask() {
        requireIpv4();
        return IpAddresses.ipv4Netmask(prefixLength);
    }

    /** The first IPv4 address of the prefix (host bits cleared). */
    public int ipv4Network() {
        return ipv4Address() & ipv4Netmask();
    }

    /** The last IPv4 address of the prefix (host bits set). */
    public int ipv4Broadcast() {
        return ipv4Address() | ~ipv4Netmask();
    }

    /** Whether the IPv4 address {@code addr} lies within this prefix (never for an IPv6 prefix). */
    public boolean containsIpv4(int addr) {
        return !ipv6 && (addr & ipv4Netmask()) == ipv4Network();
    }

    // ---- IPv6 (also the raw value of an IPv4 prefix: hi 0, lo the address)

    /** The high 64 bits of an IPv6 address. */
    public long high() {
        return hi;
    }

    /** The low 64 bits of an IPv6 address (for IPv4: the address as an unsigned value). */
    public long low() {
        return lo;
    }

    /** Whether the IPv6 address {@code hi:lo} lies within this prefix (never for an IPv4 prefix). */
    public boolean containsIpv6(long addrHi, long addrLo) {
        return ipv6 && (addrHi & IpAddresses.highMask(prefixLength)) == (hi & IpAddresses.highMask(prefixLength))
                && (addrLo & IpAddresses.lowMask(prefixLength)) == (lo & IpAddresses.lowMask(prefixLength));
    }

    // ---- both

    /** Whether every address of {@code other} lies within this prefix (both of the same family). */
    public boolean contains(IpCidr other) {
        if (other.ipv6 != ipv6 || other.prefixLength < prefixLength) {
            return false;
        }
        return ipv6 ? containsIpv6(other.hi, other.lo) : containsIpv4((int) other.lo);
    }

    /** The same prefix with host bits cleared: {@code 198.18.0.1/24} gives {@code 198.18.0.0/24}. */
    public IpCidr subnet() {
        if (ipv6) {
            return new IpCidr(true, hi & IpAddresses.highMask(prefixLength), lo & IpAddresses.lowMask(prefixLength),
                    prefixLength);
        }
        return new IpCidr(false, 0, ipv4Network() & 0xFFFFFFFFL, prefixLength);
    }

    /** Whether the host bits are all zero (the address is the prefix's first). */
    public boolean isNetworkAddress() {
        return equals(subnet());
    }

    /** The single address as a {@code /32} or {@code /128}. */
    public IpCidr address() {
        return new IpCidr(ipv6, hi, lo, maxPrefixLength());
    }

    /** The address as Java's {@link InetAddress} (for the device layer's system calls). */
    public InetAddress inetAddress() {
        byte[] b;
        if (ipv6) {
            b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (hi >>> (56 - 8 * i));
                b[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
        } else {
            int a = (int) lo;
            b = new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
        }
        try {
            // Inet6Address keeps an IPv4-mapped address as it is (InetAddress would turn it into IPv4)
            return ipv6 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 4 or 16 bytes are always a valid address
        }
    }

    /** The address alone, without the prefix length, in its usual text form. */
    public String addressText() {
        return ipv6 ? IpAddresses.formatIpv6(hi, lo) : IpAddresses.formatIpv4((int) lo);
    }

    private void requireIpv4() {
        if (ipv6) {
            throw new IllegalStateException(this + " is an IPv6 prefix");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IpCidr)) {
            return false;
        }
        IpCidr c = (IpCidr) o;
        return c.ipv6 == ipv6 && c.hi == hi && c.lo == lo && c.prefixLength == prefixLength;
    }

    /**
     * Mixes every bit of the address into the low bits of the hash, where hash tables look first: subnets of a
     * lab are aligned (10.10.0.0/26, 10.10.0.64/26, ...), so their host bits are all zero, and a plain sum of the
     * words put 10,000 such entries into 64 buckets of a {@code HashMap}. Two multiplications by the 64-bit golden
     * ratio and the high half of the product, as in Fibonacci hashing.
     */
    @Override
    public int hashCode() {
        long h = (hi * GOLDEN + lo) * GOLDEN + ((long) prefixLength << 1 | (ipv6 ? 1 : 0));
        h *= GOLDEN;
        return (int) (h >>> 32);
    }

    /** {@code 198.18.0.1/24}, {@code fd00:198:18::1/64}. */
    @Override
    public String toString() {
        return addressText() + "/" + prefixLength;
    }
}
