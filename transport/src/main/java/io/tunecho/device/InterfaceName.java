package io.tunecho.device;

/**
 * What a Linux network interface name may be ({@code dev_valid_name} in the kernel): 1 to 15 bytes, none of them
 * '/', ':' or white space, and not "." or "..". Also kept to printable ASCII here, so that names show as typed.
 */
public final class InterfaceName {
    /** IFNAMSIZ less the terminating NUL. */
    public static final int MAX_LENGTH = 15;

    private InterfaceName() {
    }

    /** Why {@code name} cannot name an interface, or {@code null} when it can. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters (the Linux limit)";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '/' || c == ':') {
                return "may not contain '/', ':', spaces or non-ASCII characters";
            }
        }
        if (name.equals(".") || name.equals("..")) {
            return "is not allowed ('.' and '..' are not interface names)";
        }
        return null;
    }

    /**
     * @return {@code name}, when valid
     * @throws IllegalArgumentException naming the problem, when not
     */
    public static String require(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("interface name '" + name + "' " + problem);
        }
        return name;
    }
}
