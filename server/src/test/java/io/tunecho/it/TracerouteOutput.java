package io.tunecho.it;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a traceroute-style tool printed (traceroute, traceroute -6, scamper's trace): a line a hop, its number, then
 * the addresses that answered and the round-trip times, e.g. {@code " 2  198.18.101.3  1.2 ms 198.18.101.2  1.1 ms"}.
 */
record TracerouteOutput(List<Hop> hops, String text) {
    private static final Pattern HOP = Pattern.compile("(?m)^\\s*(\\d+)\\s+(.*)$");
    private static final Pattern TIME = Pattern.compile("([0-9.]+) ms");

    /** One hop's line: the addresses in the order printed, and every time on it in milliseconds. */
    record Hop(int number, Set<String> routers, List<Double> millis) {
        /** The first address printed. */
        String router() {
            return routers.iterator().next();
        }

        /**
         * The best of the hop's times: one probe can be late on a busy machine, and what the tests check is that
         * each hop's delay is there.
         */
        double bestMillis() {
            return millis.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }
    }

    static TracerouteOutput parse(String text) {
        List<Hop> hops = new ArrayList<>();
        Matcher line = HOP.matcher(text);
        while (line.find()) {
            Set<String> routers = new LinkedHashSet<>();
            for (String token : line.group(2).trim().split("\\s+")) {
                if (token.contains(":") || token.chars().filter(c -> c == '.').count() == 3) {
                    routers.add(token);
                }
            }
            List<Double> millis = new ArrayList<>();
            Matcher t = TIME.matcher(line.group(2));
            while (t.find()) {
                millis.add(Double.parseDouble(t.group(1)));
            }
            hops.add(new Hop(Integer.parseInt(line.group(1)), routers, millis));
        }
        return new TracerouteOutput(hops, text);
    }

    /** Hop {@code number} as printed; no routers and no times when there is no line for it. */
    Hop hop(int number) {
        for (Hop h : hops) {
            if (h.number() == number) {
                return h;
            }
        }
        return new Hop(number, Set.of(), List.of());
    }

    /** The addresses that answered at hop {@code number}. */
    Set<String> routersAt(int number) {
        return hop(number).routers();
    }

    /** The hops where an address answered with a time, in order. */
    List<Hop> answered() {
        return hops.stream().filter(h -> !h.routers().isEmpty() && !h.millis().isEmpty()).toList();
    }
}
