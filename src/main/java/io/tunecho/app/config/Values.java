package io.tunecho.app.config;

import io.tunecho.wire.Ipv4Cidr;

/** Parsing and checking single values, the same for the file and the command line. */
final class Values {
    private Values() {
    }

    /** {@code what} names the setting in messages, e.g. {@code "interface.mtu"} or {@code "--mtu"}. */
    static String interfaceName(String value, String what) throws ConfigException {
        String v = value.trim();
        if (v.isEmpty()) {
            throw new ConfigException(what + " is empty; give an interface name such as tun0");
        }
        if (v.length() > 15) {
            throw new ConfigException(what + " '" + v + "' is longer than 15 characters (the Linux limit)");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '/' || c == ':') {
                throw new ConfigException(what + " '" + v + "' may not contain '/', ':', spaces or non-ASCII characters");
            }
        }
        return v;
    }

    static Ipv4Cidr cidr(String value, String what) throws ConfigException {
        try {
            return Ipv4Cidr.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(what + ": " + e.getMessage());
        }
    }

    /** An interface address must say its prefix: {@code 198.18.0.1/24}. */
    static Ipv4Cidr interfaceAddress(String value, String what) throws ConfigException {
        if (value.indexOf('/') < 0) {
            throw new ConfigException(what + " '" + value.trim() + "' needs a prefix length, e.g. "
                    + value.trim() + "/24");
        }
        return cidr(value, what);
    }

    /** A user name for {@code --user}: what useradd accepts; whether the user exists is checked at start. */
    static String userName(String value, String what) throws ConfigException {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 32 || v.startsWith("-")) {
            throw new ConfigException(what + " '" + v + "' is not a user name; give 1 to 32 characters such as nobody");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == '.' || c == '$' && i == v.length() - 1)) {
                throw new ConfigException(what + " '" + v + "' is not a user name; use letters, digits, '_', '-', '.'");
            }
        }
        return v;
    }

    static int queues(String value, String what) throws ConfigException {
        int queues;
        try {
            queues = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(what + " '" + value.trim() + "' is not a number; give 1.."
                    + TunechoConfig.MAX_QUEUES);
        }
        if (queues < 1 || queues > TunechoConfig.MAX_QUEUES) {
            throw new ConfigException(what + " " + queues + " is out of range; give 1.." + TunechoConfig.MAX_QUEUES
                    + " (1: a single-queue device)");
        }
        return queues;
    }

    static int mtu(String value, String what) throws ConfigException {
        int mtu;
        try {
            mtu = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(what + " '" + value.trim() + "' is not a number; give an MTU of "
                    + TunechoConfig.MIN_MTU + ".." + TunechoConfig.MAX_MTU);
        }
        if (mtu < TunechoConfig.MIN_MTU || mtu > TunechoConfig.MAX_MTU) {
            throw new ConfigException(what + " " + mtu + " is out of range; give an MTU of "
                    + TunechoConfig.MIN_MTU + ".." + TunechoConfig.MAX_MTU + " (IPv4's minimum is 68)");
        }
        return mtu;
    }
}
