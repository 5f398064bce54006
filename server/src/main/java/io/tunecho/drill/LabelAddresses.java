package io.tunecho.drill;

import io.tunecho.wire.IpCidr;

import java.util.Collection;

/**
 * Finds the IP addresses written whole in a label value, as monitoring programs write their targets:
 * {@code 198.18.0.30}, {@code 198.18.0.30:80}, {@code http://198.18.0.30/}, {@code icmp://198.18.0.30},
 * {@code 2001:db8::5}, {@code [2001:db8::5]:80}, {@code http://[2001:db8::5]/}.
 *
 * <p>The value is cut into words of letters, digits, dots and colons; every other character ends a word. A word is an
 * address when all of it is one (an IPv4 address may carry a {@code :port}; an IPv6 address takes its port only in
 * brackets, which end the word). So {@code 198.18.0.3} is not found in {@code 198.18.0.30}, nor any address in
 * {@code 198.18.0.300} or {@code host198.18.0.30}.
 */
final class LabelAddresses {
    private static final int MAX_PORT_DIGITS = 5;

    private LabelAddresses() {
    }

    /** Adds to {@code out} every address written whole in {@code text}, in the order they appear. */
    static void find(String text, Collection<IpCidr> out) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!wordChar(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && wordChar(text.charAt(i))) {
                i++;
            }
            IpCidr a = address(text, start, i);
            if (a != null) {
                out.add(a);
            }
        }
    }

    /** The address that the word {@code text[start, end)} is, or {@code null}. */
    private static IpCidr address(String text, int start, int end) {
        while (end > start && text.charAt(end - 1) == '.') {
            end--; // the full stop of a sentence
        }
        int colons = 0;
        int dots = 0;
        int firstColon = -1;
        boolean hex = true;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == ':') {
                colons++;
                firstColon = firstColon < 0 ? i : firstColon;
            } else if (c == '.') {
                dots++;
            } else if (Character.digit(c, 16) < 0) {
                hex = false;
            }
        }
        if (colons >= 2) {
            return hex ? parse(text.substring(start, end)) : null;
        }
        int ipv4End = colons == 1 ? firstColon : end;
        if (dots != 3 || !digitsAndDots(text, start, ipv4End)
                || colons == 1 && !port(text, firstColon + 1, end)) {
            return null;
        }
        return parse(text.substring(start, ipv4End));
    }

    private static IpCidr parse(String word) {
        try {
            return IpCidr.parse(word);
        } catch (IllegalArgumentException e) {
            return null; // looked like an address, is not one (198.18.0.300, 1:2:3)
        }
    }

    private static boolean wordChar(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == ':';
    }

    private static boolean digitsAndDots(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean port(String text, int start, int end) {
        if (end <= start || end - start > MAX_PORT_DIGITS) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
