package io.tunecho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load-balanced paths and routers that keep quiet, as the path tools see them: a hop with a {@code by: flow} choice
 * of two routers shows both to a classic traceroute and to scamper's tracelb, and one per flow to a Paris traceroute
 * (scamper's udp-paris); a choice of routers limited to one answer a second shows loss at that hop in mtr and none
 * at the destination; a router with {@code rate: 0} forwards but prints {@code * * *}; IPv6 alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathChoiceIT {
    private static final String BALANCED = "198.18.105.10";
    private static final String SILENT_BEHIND = "198.18.105.20";
    private static final String LIMITED_BEHIND = "198.18.105.30";
    private static final String BALANCED6 = "fd00:198:105::10";
    private static final Set<String> PAIR = Set.of("198.18.101.2", "198.18.101.3");
    private static final Set<String> PAIR6 = Set.of("fd00:198:101::2", "fd00:198:101::3");

    private TunechoProcess tunecho;

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        List<String> yaml = List.of(
                "interface: { name: tunit100, address: 198.18.100.1/24, address6: 'fd00:198:100::1/64' }",
                "profiles:",
                "  router: { ttl: 255 }",
                "hosts:",
                "  - { match: 198.18.101.0/29, profile: router }",
                "  - { match: " + BALANCED + ", hops: [198.18.101.1, {any: [198.18.101.2, 198.18.101.3], by: flow}, "
                        + "198.18.101.4] }",
                "  - { match: 198.18.102.2, profile: router, rate: 0 }",
                "  - { match: " + SILENT_BEHIND + ", hops: [198.18.101.1, 198.18.102.2, 198.18.101.4] }",
                "  - { match: 198.18.103.0/30, profile: router, rate: 1 }",
                "  - { match: " + LIMITED_BEHIND + ", hops: [198.18.101.1, {any: [198.18.103.1, 198.18.103.2]}] }",
                "  - { match: 'fd00:198:101::/125', profile: router }",
                "  - { match: '" + BALANCED6 + "', hops: ['fd00:198:101::1', {any: ['fd00:198:101::2', "
                        + "'fd00:198:101::3'], by: flow}] }");
        tunecho = TunechoProcess.startWithConfig(List.of(), yaml);
    }

    @AfterAll
    void stop() throws Exception {
        if (tunecho != null) {
            tunecho.stop();
        }
    }

    private static String run(String... cmd) throws Exception {
        return Netns.run(120, cmd).output();
    }

    /**
     * The addresses that answered at hop {@code hop} in a traceroute-style listing (traceroute, scamper's trace):
     * " 2  198.18.101.3  1.2 ms 198.18.101.2  1.1 ms  1.0 ms" gives both.
     */
    static Set<String> routersAt(String out, int hop) {
        Set<String> routers = new LinkedHashSet<>();
        Matcher line = Pattern.compile("(?m)^\\s*" + hop + "\\s+(.*)$").matcher(out);
        if (line.find()) {
            for (String token : line.group(1).trim().split("\\s+")) {
                if (token.contains(":") || token.chars().filter(c -> c == '.').count() == 3) {
                    routers.add(token);
                }
            }
        }
        return routers;
    }

    /** The round-trip times printed on hop {@code hop}'s line. */
    private static int timesAt(String out, int hop) {
        Matcher line = Pattern.compile("(?m)^\\s*" + hop + "\\s+(.*)$").matcher(out);
        return line.find() ? (int) Pattern.compile("[0-9.]+ ms").matcher(line.group(1)).results().count() : 0;
    }

    @Test
    void classicTracerouteSeesBothRoutersOfAFlowHop() throws Exception {
        Set<String> seen = new LinkedHashSet<>();
        StringBuilder outputs = new StringBuilder();
        for (int run = 0; run < 6 && !seen.containsAll(PAIR); run++) {
            String out = run("traceroute", "-n", "-q", "3", BALANCED);
            outputs.append(out);
            assertEquals(Set.of("198.18.101.1"), routersAt(out, 1), out);
            assertTrue(PAIR.containsAll(routersAt(out, 2)), out);
            assertEquals(Set.of("198.18.101.4"), routersAt(out, 3), out);
            assertEquals(Set.of(BALANCED), routersAt(out, 4), out);
            seen.addAll(routersAt(out, 2));
        }
        assertEquals(PAIR, seen, "each probe has a port of its own, so both routers answer:\n" + outputs);
    }

    @Test
    void scamperTracelbFindsBothPaths() throws Exception {
        String out = "";
        for (int run = 0; run < 3; run++) {
            out = run("scamper", "-c", "tracelb", "-i", BALANCED);
            if (out.contains("198.18.101.1 -> (198.18.101.2, 198.18.101.3) -> 198.18.101.4")) {
                break;
            }
        }
        assertTrue(out.contains("198.18.101.1 -> (198.18.101.2, 198.18.101.3) -> 198.18.101.4"), out);
        assertTrue(out.contains("198.18.101.4 -> " + BALANCED), out);
    }

    /**
     * Paris traceroute keeps its flow (ports and the checksum fixed, the payload varied): with one source port every
     * probe of every run takes one router; other source ports are other flows, which reach the other router too.
     */
    @Test
    void parisTracerouteSeesOnePathPerFlow() throws Exception {
        String first = null;
        for (int run = 0; run < 3; run++) {
            String out = run("scamper", "-c", "trace -P udp-paris -q 3 -Q -s 40000", "-i", BALANCED);
            Set<String> at2 = routersAt(out, 2);
            assertEquals(1, at2.size(), "one router for the flow:\n" + out);
            assertTrue(timesAt(out, 2) >= 2, "its probes all answered by it:\n" + out);
            assertTrue(PAIR.containsAll(at2), out);
            String router = at2.iterator().next();
            if (first == null) {
                first = router;
            }
            assertEquals(first, router, "the same flow, the same router, run after run:\n" + out);
            assertEquals(Set.of(BALANCED), routersAt(out, 4), out);
        }
        Set<String> seen = new LinkedHashSet<>();
        StringBuilder outputs = new StringBuilder();
        for (int sport = 40001; sport < 40009 && !seen.containsAll(PAIR); sport++) {
            String out = run("scamper", "-c", "trace -P udp-paris -s " + sport, "-i", BALANCED);
            outputs.append(out);
            seen.addAll(routersAt(out, 2));
        }
        assertEquals(PAIR, seen, "other flows, other routers:\n" + outputs);
    }

    @Test
    void mtrShowsLossAtAHopLimitedToOneAnswerASecondAndNoneAtTheDestination() throws Exception {
        String out = "";
        for (int run = 0; run < 2; run++) {
            out = run("mtr", "-n", "-r", "-c", "20", "-i", "0.2", LIMITED_BEHIND);
            Matcher hop = Pattern.compile("(?m)^\\s*2\\.\\|-- (198\\.18\\.103\\.[12])\\s+([0-9.]+)%").matcher(out);
            Matcher host = Pattern.compile(Pattern.quote(LIMITED_BEHIND) + "\\s+([0-9.]+)%").matcher(out);
            assertTrue(hop.find() && host.find(), out);
            assertTrue(Double.parseDouble(hop.group(2)) >= 50, "about 4 s of probes, 1 answer a second:\n" + out);
            if (host.group(1).equals("0.0")) {
                return;
            }
        }
        throw new AssertionError("loss at the destination in every run:\n" + out);
    }

    @Test
    void aRouterWithRateZeroPrintsStarsWhileTheDestinationAnswers() throws Exception {
        String out = run("traceroute", "-n", "-q", "3", "-w", "1", SILENT_BEHIND);
        assertTrue(Pattern.compile("(?m)^\\s*2\\s+\\* \\* \\*\\s*$").matcher(out).find(), out);
        assertEquals(Set.of("198.18.101.1"), routersAt(out, 1), out);
        assertEquals(Set.of("198.18.101.4"), routersAt(out, 3), out);
        assertEquals(Set.of(SILENT_BEHIND), routersAt(out, 4), out);
        assertTrue(timesAt(out, 4) >= 1, out);
        PingOutput p = PingOutput.parse(run("ping", "-n", "-c", "2", "-i", "0.2", SILENT_BEHIND));
        assertEquals(2, p.received(), "the silent router forwards:\n" + p.text());
        assertEquals(61, p.replies().get(0).ttl(), "64 less three routers");
    }

    @Test
    void traceroute6SeesBothRoutersOfAFlowHop() throws Exception {
        Set<String> seen = new LinkedHashSet<>();
        List<String> outputs = new ArrayList<>();
        for (int run = 0; run < 6 && !seen.containsAll(PAIR6); run++) {
            String out = run("traceroute", "-6", "-n", "-q", "3", BALANCED6);
            outputs.add(out);
            assertEquals(Set.of("fd00:198:101::1"), routersAt(out, 1), out);
            assertTrue(PAIR6.containsAll(routersAt(out, 2)), out);
            assertEquals(Set.of(BALANCED6), routersAt(out, 3), out);
            seen.addAll(routersAt(out, 2));
        }
        assertEquals(PAIR6, seen, String.join("\n", outputs));
    }
}
