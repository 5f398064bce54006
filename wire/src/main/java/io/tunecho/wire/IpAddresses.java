package io.tunecho.wire;

/**
 * IPv4 and IPv6 addresses as numbers: text forms (RFC 4291 in, RFC 5952 out), masks, and the address classes a
 * host checks before it answers (RFC 1122 3.2.1.3, RFC 4291 2.7).
 */
public final class IpAddresses {
    public static final int IPV4_LIMITED_BROADCAST = 0xFFFFFFFF;

    private IpAddresses() {
    }

    /** The IPv4 netmask of a prefix length: 24 gives {@code 0xFFFFFF00}. */
    public static int ipv4Netmask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The mask of an IPv6 prefix's high 64 bits. */
    public static long highMask(int prefixLength) {
        if (prefixLength >= 64) {
            return -1L;
        }
        return prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
    }

    /** The mask of an IPv6 prefix's low 64 bits. */
    public static long lowMask(int prefixLength) {
        if (prefixLength <= 64) {
            return 0;
        }
        return prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
    }

    // ---- IPv4 classes

    /** 224.0.0.0/4. */
    public static boolean isIpv4Multicast(int address) {
        return (address & 0xF0000000) == 0xE0000000;
    }

    /** 0.0.0.0/8: "this network", never a destination and a source only in start-up protocols. */
    public static boolean isIpv4ZeroNet(int address) {
        return (address & 0xFF000000) == 0;
    }

    /** 127.0.0.0/8. */
    public static boolean isIpv4Loopback(int address) {
        return (address & 0xFF000000) == 0x7F000000;
    }

    // ---- IPv6 classes

    /** ff00::/8. */
    public static boolean isIpv6Multicast(long hi) {
        return (hi >>> 56) == 0xFF;
    }

    /** ::, the unspecified address. */
    public static boolean isIpv6Unspecified(long hi, long lo) {
        return hi == 0 && lo == 0;
    }

    /** ::1. */
    public static boolean isIpv6Loopback(long hi, long lo) {
        return hi == 0 && lo == 1;
    }

    /** ::ffff:0:0/96, an IPv4-mapped address: never on the wire. */
    public static boolean isIpv4Mapped(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xFFFFL;
    }

    // ---- text

    public static String formatIpv4(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups (the first) as "::". */
    public static String formatIpv6(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            g[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /**
     * Parses a dotted-quad IPv4 address.
     *
     * @param original the text to quote in the message
     * @throws IllegalArgumentException if it is not one
     */
    public static int parseIpv4(String s, String original) {
        int value = 0;
        int octets = 0;
        int i = 0;
        int n = s.length();
        while (octets < 4) {
            int start = i;
            int octet = 0;
            while (i < n && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                octet = octet * 10 + s.charAt(i++) - '0';
            }
            if (i == start || octets < 3 && (i >= n || s.charAt(i) != '.')) {
                throw new IllegalArgumentException("'" + original + "' is not an IPv4 address (expected a.b.c.d)");
            }
            if (octet > 255) {
                throw new IllegalArgumentException("'" + original + "' is not an IPv4 address: " + octet + " > 255");
            }
            value = value << 8 | octet;
            octets++;
            if (octets < 4) {
                i++; // the dot
            }
        }
        if (i != n) {
            throw new IllegalArgumentException("'" + original + "' is not an IPv4 address (expected a.b.c.d)");
        }
        return value;
    }

    /**
     * Parses an IPv6 address in RFC 4291's text forms: eight groups of up to four hex digits, one "::" for a run of
     * zero groups, and optionally a dotted IPv4 address as the last 32 bits. Zone ids ({@code %eth0}) are refused.
     *
     * @return {high 64 bits, low 64 bits}
     * @throws IllegalArgumentException if it is not one
     */
    public static long[] parseIpv6(String s, String original) {
        String bad = "'" + original + "' is not an IPv6 address";
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            throw new IllegalArgumentException(bad + " (only one '::' is allowed)");
        }
        int[] groups = new int[8];
        int count = 0;
        int zerosAt = -1;
        int i = 0;
        int n = s.length();
        if (doubleColon == 0) {
            zerosAt = 0;
            i = 2;
        }
        while (i < n) {
            int end = s.indexOf(':', i);
            if (end < 0) {
                end = n;
            }
            String part = s.substring(i, end);
            if (part.indexOf('.') >= 0) {
                if (end != n || count > 6) {
                    throw new IllegalArgumentException(bad + " (a dotted IPv4 part must come last)");
                }
                int v4 = parseIpv4(part, original);
                groups[count++] = v4 >>> 16;
                groups[count++] = v4 & 0xFFFF;
                i = n;
                break;
            }
            if (part.isEmpty() || part.length() > 4 || count == 8) {
                throw new IllegalArgumentException(bad);
            }
            int v = 0;
            for (int k = 0; k < part.length(); k++) {
                int d = Character.digit(part.charAt(k), 16);
                if (d < 0) {
                    throw new IllegalArgumentException(bad + " ('" + part + "' is not a hex group)");
                }
                v = v << 4 | d;
            }
            groups[count++] = v;
            if (end == n) {
                i = n;
            } else if (end == doubleColon) {
                zerosAt = count;
                i = end + 2;
            } else {
                i = end + 1;
                if (i == n) {
                    throw new IllegalArgumentException(bad + " (it ends with a single ':')");
                }
            }
        }
        if (zerosAt < 0 && count != 8) {
            throw new IllegalArgumentException(bad + " (expected 8 groups or a '::')");
        }
        if (zerosAt >= 0 && count == 8) {
            throw new IllegalArgumentException(bad + " ('::' stands for no group)");
        }
        int[] full = new int[8];
        if (zerosAt < 0) {
            full = groups;
        } else {
            System.arraycopy(groups, 0, full, 0, zerosAt);
            int tail = count - zerosAt;
            System.arraycopy(groups, zerosAt, full, 8 - tail, tail);
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) {
            hi = hi << 16 | full[k];
            lo = lo << 16 | full[4 + k];
        }
        return new long[] {hi, lo};
    }

    static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
