package io.tunecho.app.config;

import io.tunecho.device.InterfaceName;
import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The value types of tunecho's settings; each checks its rules in one place. */
public final class ValueTypes {
    private ValueTypes() {
    }

    /** An integer within {@code min..max}; {@code noun} names it in messages ("an MTU of"). */
    public static ValueType<Integer> integer(int min, int max, String noun) {
        return new ValueType<>() {
            @Override
            public Integer parse(String text) {
                String t = text.trim();
                int v;
                try {
                    v = Integer.parseInt(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + t + "' is not a number; give " + describe());
                }
                if (v < min || v > max) {
                    throw new IllegalArgumentException(v + " is out of range; give " + describe());
                }
                return v;
            }

            @Override
            public String describe() {
                return noun + min + ".." + max;
            }
        };
    }

    /** A Linux interface name ({@link InterfaceName}'s rules). */
    public static ValueType<String> interfaceName() {
        return new ValueType<>() {
            @Override
            public String parse(String text) {
                String name = text.trim();
                String problem = InterfaceName.problem(name);
                if (problem != null) {
                    throw new IllegalArgumentException(name.isEmpty() ? "is empty; give an interface name such as tun0"
                            : "'" + name + "' " + problem);
                }
                return name;
            }

            @Override
            public String describe() {
                return "an interface name of 1.." + InterfaceName.MAX_LENGTH + " characters";
            }
        };
    }

    /** An address or CIDR of either family ({@code 198.18.0.7}, {@code 203.0.113.0/24}, {@code fd00::/64}). */
    public static ValueType<IpCidr> cidr() {
        return new ValueType<>() {
            @Override
            public IpCidr parse(String text) {
                try {
                    return IpCidr.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
            }

            @Override
            public String describe() {
                return "an address or CIDR such as 198.18.0.0/24";
            }
        };
    }

    /**
     * An interface's IPv4 address with its prefix length ({@code 198.18.0.1/24}): a host address of its subnet,
     * not the subnet's network or broadcast address.
     */
    public static ValueType<IpCidr> ipv4InterfaceAddress() {
        return new ValueType<>() {
            @Override
            public IpCidr parse(String text) {
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
            }

            @Override
            public String describe() {
                return "an IPv4 address with its prefix length, such as 198.18.0.1/24";
            }
        };
    }

    /**
     * A list of values: in a file a YAML list (or a single value), on the command line a comma-separated list.
     */
    public static <T> ValueType<List<T>> listOf(ValueType<T> item) {
        return new ValueType<>() {
            @Override
            public List<T> parse(String text) {
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
            }

            @Override
            public List<T> read(ConfigNode node, String name) throws ConfigException {
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
            }

            @Override
            public String describe() {
                return "a list of " + item.describe();
            }

            @Override
            public String format(List<T> value) {
                StringBuilder sb = new StringBuilder();
                for (T v : value) {
                    sb.append(sb.length() == 0 ? "" : ",").append(item.format(v));
                }
                return sb.toString();
            }
        };
    }

    /** One of an enum's values, written as its {@code toString()} (lower case). */
    public static <E extends Enum<E>> ValueType<E> choice(Class<E> type) {
        E[] values = type.getEnumConstants();
        return new ValueType<>() {
            @Override
            public E parse(String text) {
                String t = text.trim();
                for (E e : values) {
                    if (e.toString().equals(t)) {
                        return e;
                    }
                }
                throw new IllegalArgumentException("'" + t + "' is not valid; give " + describe());
            }

            @Override
            public String describe() {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < values.length; i++) {
                    sb.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ").append(values[i]);
                }
                return sb.toString();
            }
        };
    }

    /** A user name (or numeric uid) to run as; checked against the system when it is used. */
    public static ValueType<String> userName() {
        return new ValueType<>() {
            @Override
            public String parse(String text) {
                String t = text.trim();
                if (t.isEmpty() || !t.matches("[A-Za-z0-9_.][A-Za-z0-9_.-]*\\$?")) {
                    throw new IllegalArgumentException("'" + t + "' is not a user name");
                }
                return t;
            }

            @Override
            public String describe() {
                return "a user name such as nobody";
            }
        };
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
