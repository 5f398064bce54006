package io.tunecho.config;

import io.tunecho.device.InterfaceName;
import io.tunecho.hosts.Durations;
import io.tunecho.wire.IpAddresses;
import io.tunecho.wire.IpCidr;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The value types of tunecho's settings; each checks its rules in one place. */
public final class ValueTypes {
    /** The longest duration a setting takes: a day. */
    private static final long MAX_DURATION_NANOS = 86_400_000_000_000L;
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private ValueTypes() {
    }

    /** An integer within {@code min..max}; {@code noun} names it in messages ("an MTU of"). */
    public static ValueType<Integer> integer(int min, int max, String noun) {
        String range = noun + min + ".." + max;
        return ValueType.of(range, text -> {
            String t = text.trim();
            int v;
            try {
                v = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + t + "' is not a number; give " + range);
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(v + " is out of range; give " + range);
            }
            return v;
        });
    }

    /** A Linux interface name ({@link InterfaceName}'s rules). */
    public static ValueType<String> interfaceName() {
        return ValueType.of("an interface name of 1.." + InterfaceName.MAX_LENGTH + " characters", text -> {
            String name = text.trim();
            String problem = InterfaceName.problem(name);
            if (problem != null) {
                throw new IllegalArgumentException(name.isEmpty() ? "is empty; give an interface name such as tun0"
                        : "'" + name + "' " + problem);
            }
            return name;
        });
    }

    /** An address or CIDR of either family ({@code 198.18.0.7}, {@code 203.0.113.0/24}, {@code fd00::/64}). */
    public static ValueType<IpCidr> cidr() {
        return ValueType.of("an address or CIDR such as 198.18.0.0/24", text -> {
            try {
                return IpCidr.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        });
    }

    /**
     * An interface's IPv4 address with its prefix length ({@code 198.18.0.1/24}): a host address of its subnet,
     * not the subnet's network or broadcast address.
     */
    public static ValueType<IpCidr> ipv4InterfaceAddress() {
        return ValueType.of("an IPv4 address with its prefix length, such as 198.18.0.1/24", text -> {
            String t = text.trim();
            if (t.indexOf('/') < 0) {
                throw new IllegalArgumentException("'" + t + "' needs a prefix length, e.g. " + t + "/24");
            }
            IpCidr a = IpCidr.parse(t);
            if (!a.isIpv4()) {
                throw new IllegalArgumentException("'" + t + "' is not an IPv4 address");
            }
            String example = IpCidr.ipv4(a.ipv4Network() + 1, a.prefixLength()).toString();
            if (a.prefixLength() <= 30 && a.ipv4Address() == a.ipv4Network()) {
                throw new IllegalArgumentException(a + " is its subnet's network address; use a host address such as "
                        + example);
            }
            if (a.prefixLength() <= 30 && a.ipv4Address() == a.ipv4Broadcast()) {
                throw new IllegalArgumentException(a + " is its subnet's broadcast address; use a host address such "
                        + "as " + example);
            }
            return a;
        });
    }

    /** An interface's IPv6 address with its prefix length ({@code fd00:198:18::1/64}): not the subnet's first. */
    public static ValueType<IpCidr> ipv6InterfaceAddress() {
        return ValueType.of("an IPv6 address with its prefix length, such as fd00:198:18::1/64", text -> {
            String t = text.trim();
            if (t.indexOf('/') < 0) {
                throw new IllegalArgumentException("'" + t + "' needs a prefix length, e.g. " + t + "/64");
            }
            IpCidr a = IpCidr.parse(t);
            if (!a.isIpv6()) {
                throw new IllegalArgumentException("'" + t + "' is not an IPv6 address");
            }
            if (a.prefixLength() < 127 && a.isNetworkAddress()) {
                throw new IllegalArgumentException(a + " is its subnet's first address (the subnet-router anycast "
                        + "address); use a host address such as " + IpCidr.ipv6(a.high(), a.low() + 1,
                        a.prefixLength()));
            }
            long hi = a.high();
            if ((hi >>> 56) == 0xFF || IpAddresses.isIpv6Loopback(hi, a.low())
                    || (hi & 0xFFC0_0000_0000_0000L) == 0xFE80_0000_0000_0000L) {
                throw new IllegalArgumentException(a + " is a multicast, loopback or link-local address; use a "
                        + "unique local (fd00::/8) or global address");
            }
            return a;
        });
    }

    /**
     * A list of values: in a file a YAML list (or a single value), on the command line a comma-separated list.
     */
    public static <T> ValueType<List<T>> listOf(ValueType<T> item) {
        return new DefinedType<>("a list of " + item.describe(), text -> {
            List<T> values = new ArrayList<>();
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    values.add(item.parse(part));
                }
            }
            if (values.isEmpty()) {
                throw new IllegalArgumentException("needs at least one value: " + item.describe());
            }
            return List.copyOf(values);
        }, values -> {
            StringBuilder sb = new StringBuilder();
            for (T v : values) {
                sb.append(sb.length() == 0 ? "" : ",").append(item.format(v));
            }
            return sb.toString();
        }, (node, name) -> {
            if (node instanceof ConfigNode.Scalar && ((ConfigNode.Scalar) node).isNull()) {
                return List.of();
            }
            if (node instanceof ConfigNode.Scalar) {
                return List.of(item.read(node, name));
            }
            if (!(node instanceof ConfigNode.Sequence)) {
                throw new ConfigException(node.where() + name + " must be a list of " + item.describe()
                        + ", not " + node.kind());
            }
            List<T> values = new ArrayList<>();
            for (ConfigNode n : ((ConfigNode.Sequence) node).items()) {
                values.add(item.read(n, name));
            }
            return List.copyOf(values);
        });
    }

    /** One of an enum's values, written as its {@code toString()} (lower case). */
    public static <E extends Enum<E>> ValueType<E> choice(Class<E> type) {
        E[] values = type.getEnumConstants();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ").append(values[i]);
        }
        String choices = sb.toString();
        return ValueType.of(choices, text -> {
            String t = text.trim();
            for (E e : values) {
                if (e.toString().equals(t)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("'" + t + "' is not valid; give " + choices);
        });
    }

    /** A user name to run as (1 to 32 letters, digits, '_', '-', '.'); looked up on the system when it is used. */
    public static ValueType<String> userName() {
        return ValueType.of("a user name such as nobody", text -> {
            String v = text.trim();
            if (v.isEmpty() || v.length() > 32 || v.startsWith("-")) {
                throw new IllegalArgumentException("'" + v + "' is not a user name; give 1 to 32 characters such "
                        + "as nobody");
            }
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                        || c == '.' || c == '$' && i == v.length() - 1)) {
                    throw new IllegalArgumentException("'" + v + "' is not a user name; use letters, digits, '_', "
                            + "'-', '.'");
                }
            }
            return v;
        });
    }

    /** A probability: {@code 0.2} or {@code 20%}. */
    public static ValueType<Double> probability() {
        String valid = "a probability such as 0.2 or 20% (0..1, 0%..100%)";
        return ValueType.of(valid, text -> {
            String t = text.trim();
            double v;
            try {
                v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
                        : Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + t + "' is not a probability; give " + valid);
            }
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("'" + t + "' is out of range; give " + valid);
            }
            return v;
        });
    }

    /** A duration: {@code 250us}, {@code 20ms}, {@code 1.5s}; at most a day. */
    public static ValueType<Long> duration() {
        return ValueType.of("a duration such as 250us, 20ms or 1.5s", text -> {
            long nanos = Durations.parse(text);
            if (nanos > MAX_DURATION_NANOS) {
                throw new IllegalArgumentException("'" + text.trim() + "' is longer than a day");
            }
            return nanos;
        }, Durations::format);
    }

    /** {@code true} or {@code false}. */
    public static ValueType<Boolean> bool() {
        return ValueType.of("true or false", text -> {
            String t = text.trim();
            if (t.equals("true")) {
                return true;
            }
            if (t.equals("false")) {
                return false;
            }
            throw new IllegalArgumentException("'" + t + "' is not true or false");
        });
    }

    /** A rate: replies per second, more than 0 ({@code 10} or {@code 10/s}). */
    public static ValueType<Double> rate() {
        String valid = "replies per second, such as 10 or 0.5";
        return ValueType.of(valid, text -> {
            String t = text.trim();
            String n = t.endsWith("/s") ? t.substring(0, t.length() - 2).trim() : t;
            double v;
            try {
                v = Double.parseDouble(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + t + "' is not a rate; give " + valid);
            }
            if (!(v > 0 && v <= 1e9)) {
                throw new IllegalArgumentException("'" + t + "' is out of range; give " + valid);
            }
            return v;
        });
    }

    /** A single IPv4 address. */
    public static ValueType<IpCidr> ipv4Address() {
        return ValueType.of("an IPv4 address such as 198.18.0.254", text -> {
            IpCidr a = IpCidr.parse(text);
            if (!a.isIpv4() || !a.isSingleAddress()) {
                throw new IllegalArgumentException("'" + text.trim() + "' is not a single IPv4 address");
            }
            return a;
        });
    }

    /** A single address of either family. */
    public static ValueType<IpCidr> address() {
        return ValueType.of("an address such as 198.18.0.254 or fd00::fe", text -> {
            IpCidr a = IpCidr.parse(text);
            if (!a.isSingleAddress()) {
                throw new IllegalArgumentException("'" + text.trim() + "' is not a single address");
            }
            return a;
        });
    }

    /** A name: letters, digits, '-', '_' and '.'. */
    public static ValueType<String> word() {
        return ValueType.of("a name", text -> {
            String t = text.trim();
            if (!WORD.matcher(t).matches()) {
                throw new IllegalArgumentException("'" + t + "' is not a name (letters, digits, '-', '_', '.')");
            }
            return t;
        });
    }

    /** A whole number of any size (a random seed). */
    public static ValueType<Long> longInteger() {
        return ValueType.of("a whole number", text -> {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text.trim() + "' is not a whole number");
            }
        });
    }

    /** An address to listen on: an IPv4 or IPv6 address (no host names). */
    public static ValueType<String> listenAddress() {
        return ValueType.of("an IP address such as 127.0.0.1 or ::1", text -> {
            String t = text.trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1);
            }
            IpCidr a = IpCidr.parse(t);
            if (!a.isSingleAddress()) {
                throw new IllegalArgumentException("'" + text.trim() + "' is not a single address");
            }
            return a.addressText();
        });
    }

    /** A bearer token: printable ASCII without spaces, at least 8 characters; written back as {@code (set)}. */
    public static ValueType<String> token() {
        String valid = "at least 8 printable characters without spaces";
        return ValueType.of(valid, text -> {
            String t = text.trim();
            if (t.length() < 8 || !t.chars().allMatch(c -> c > ' ' && c < 0x7F)) {
                throw new IllegalArgumentException("is not a usable token; give " + valid);
            }
            return t;
        }, token -> "(set)");
    }

    /** A file path. */
    public static ValueType<Path> path() {
        return ValueType.of("a file name", text -> {
            String t = text.trim();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("is empty; give a file name");
            }
            try {
                return Path.of(t);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + t + "' is not a file name: " + e.getReason());
            }
        });
    }

    /** A size in bytes: {@code 100MB}, {@code 512KB}, {@code 1GB} (powers of 1024), or plain bytes. */
    public static ValueType<Long> size() {
        String valid = "a size such as 100MB, 512KB or 1GB";
        return ValueType.of(valid, text -> {
            String t = text.trim().toUpperCase(Locale.ROOT);
            long scale = 1;
            String n = t;
            if (t.endsWith("KB")) {
                scale = 1L << 10;
                n = t.substring(0, t.length() - 2);
            } else if (t.endsWith("MB")) {
                scale = 1L << 20;
                n = t.substring(0, t.length() - 2);
            } else if (t.endsWith("GB")) {
                scale = 1L << 30;
                n = t.substring(0, t.length() - 2);
            } else if (t.endsWith("B")) {
                n = t.substring(0, t.length() - 1);
            }
            long v;
            try {
                v = Long.parseLong(n.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text.trim() + "' is not a size; give " + valid);
            }
            if (v <= 0 || v > (1L << 50) / scale) {
                throw new IllegalArgumentException("'" + text.trim() + "' is out of range; give " + valid);
            }
            return v * scale;
        }, bytes -> bytes % (1L << 20) == 0 ? (bytes >> 20) + "MB" : bytes + "B");
    }
}
