package io.tunecho.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address with a prefix length, as written in CIDR notation ({@code 198.18.0.1/24}).
 * The address is kept as given (host bits are not cleared): {@code 198.18.0.1/24} is both the interface
 * address {@code 198.18.0.1} and the subnet {@code 198.18.0.0/24}. Immutable.
 */
public final class Ipv4Cidr {
    private final int address;
    private final int prefixLength;

    private Ipv4Cidr(int address, int prefixLength) {
        this.address = address;
        this.prefixLength = prefixLength;
    }

    /** @throws IllegalArgumentException if the prefix length is not within 0..32 */
    public static Ipv4Cidr of(int address, int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32: " + prefixLength);
        }
        return new Ipv4Cidr(address, prefixLength);
    }

    /**
     * Parses {@code a.b.c.d/n} or a bare {@code a.b.c.d} (taken as {@code /32}). Only dotted-quad decimal is
     * accepted: no host names, no shortened forms.
     *
     * @throws IllegalArgumentException with a message that quotes the text and says what is wrong
     */
    public static Ipv4Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing IPv4 address");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        int prefix = 32;
        String addr = s;
        if (slash >= 0) {
            addr = s.substring(0, slash);
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 2 || !allDigits(p)) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 CIDR: prefix length must be 0..32");
            }
            prefix = Integer.parseInt(p);
            if (prefix > 32) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 CIDR: prefix length must be 0..32");
            }
        }
        return new Ipv4Cidr(parseAddress(addr, text), prefix);
    }

    private static int parseAddress(String s, String original) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + original + "' is not an IPv4 address (expected a.b.c.d)");
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !allDigits(part)) {
                throw new IllegalArgumentException("'" + original + "' is not an IPv4 address (expected a.b.c.d)");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + original + "' is not an IPv4 address: " + octet + " > 255");
            }
            value = value << 8 | octet;
        }
        return value;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The address as given, host bits included. */
    public int address() {
        return address;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The netmask as an int: {@code /24} is {@code 0xFFFFFF00}. */
    public int netmask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The first address of the prefix (host bits cleared). */
    public int network() {
        return address & netmask();
    }

    /** The last address of the prefix (host bits set). */
    public int broadcast() {
        return address | ~netmask();
    }

    /** Whether {@code addr} lies within this prefix. */
    public boolean contains(int addr) {
        return (addr & netmask()) == network();
    }

    /** The same prefix with host bits cleared: {@code 198.18.0.1/24} gives {@code 198.18.0.0/24}. */
    public Ipv4Cidr subnet() {
        return new Ipv4Cidr(network(), prefixLength);
    }

    public Inet4Address inetAddress() {
        return toInetAddress(address);
    }

    public static Inet4Address toInetAddress(int addr) {
        byte[] b = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always a valid IPv4 address
        }
    }

    public static String format(int addr) {
        return (addr >>> 24) + "." + (addr >>> 16 & 0xFF) + "." + (addr >>> 8 & 0xFF) + "." + (addr & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Cidr && ((Ipv4Cidr) o).address == address && ((Ipv4Cidr) o).prefixLength == prefixLength;
    }

    @Override
    public int hashCode() {
        return address * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return format(address) + "/" + prefixLength;
    }
}
