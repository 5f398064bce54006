package io.tunecho.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tunecho.it.Netns.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load-balanced paths and routers that keep quiet, as the path tools see them: a hop with a {@code by: flow} choice
 * of two routers shows both to a classic traceroute and to scamper's tracelb, and one per flow to a Paris traceroute
 * (scamper's udp-paris); a choice of routers limited to one answer a second shows loss at that hop in mtr and none
 * at the destination; a router with {@code rate: 0} forwards but prints {@code * * *}; IPv6 alike.
 */
class PathChoiceIT {
    private static final String BALANCED = "198.18.105.10";
    private static final String SILENT_BEHIND = "198.18.105.20";
    private static final String LIMITED_BEHIND = "198.18.105.30";
    private static final String BALANCED6 = "fd00:198:105::10";
    private static final Set<String> PAIR = Set.of("198.18.101.2", "198.18.101.3");
    private static final Set<String> PAIR6 = Set.of("fd00:198:101::2", "fd00:198:101::3");

    @RegisterExtension
    static final ServerFixture TUNECHO = ServerFixture.withConfig(
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

    /**
     * Runs a classic traceroute ({@code command}) until both routers of {@code pair} have answered at hop 2, six
     * times at most; each run must show {@code first} at hop 1, routers of the pair at hop 2, then {@code after}
     * one a hop. Each probe has a port of its own, so both routers answer. The commands send one probe at a time
     * ({@code -N 1}): traceroute's default of 16 at once has the destination answer the probes beyond it too, up to 10 a run
     * here, and a third run within a second would find the host's ICMP error limit (10 a second, bursts of 20)
     * spent, as a real host's would be, and print stars where the test expects the host.
     */
    private static void assertBothRoutersOfHop2(String first, Set<String> pair, List<String> after,
            String... command) throws Exception {
        Set<String> seen = new LinkedHashSet<>();
        StringBuilder outputs = new StringBuilder();
        for (int run = 0; run < 6 && !seen.containsAll(pair); run++) {
            String out = output(command);
            outputs.append(out).append('\n');
            TracerouteOutput trace = TracerouteOutput.parse(out);
            assertEquals(Set.of(first), trace.routersAt(1), out);
            assertTrue(pair.containsAll(trace.routersAt(2)), out);
            for (int i = 0; i < after.size(); i++) {
                assertEquals(Set.of(after.get(i)), trace.routersAt(3 + i), out);
            }
            seen.addAll(trace.routersAt(2));
        }
        assertEquals(pair, seen, "each probe has a port of its own, so both routers answer:\n" + outputs);
    }

    @Test
    void classicTracerouteSeesBothRoutersOfAFlowHop() throws Exception {
        assertBothRoutersOfHop2("198.18.101.1", PAIR, List.of("198.18.101.4", BALANCED),
                "traceroute", "-n", "-N", "1", "-q", "3", BALANCED);
    }

    @Test
    void scamperTracelbFindsBothPaths() throws Exception {
        String out = "";
        for (int run = 0; run < 3; run++) {
            out = output("scamper", "-c", "tracelb", "-i", BALANCED);
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
            String out = output("scamper", "-c", "trace -P udp-paris -q 3 -Q -s 40000", "-i", BALANCED);
            TracerouteOutput trace = TracerouteOutput.parse(out);
            Set<String> at2 = trace.routersAt(2);
            assertEquals(1, at2.size(), "one router for the flow:\n" + out);
            assertTrue(trace.hop(2).millis().size() >= 2, "its probes all answered by it:\n" + out);
            assertTrue(PAIR.containsAll(at2), out);
            String router = at2.iterator().next();
            if (first == null) {
                first = router;
            }
            assertEquals(first, router, "the same flow, the same router, run after run:\n" + out);
            assertEquals(Set.of(BALANCED), trace.routersAt(4), out);
        }
        Set<String> seen = new LinkedHashSet<>();
        StringBuilder outputs = new StringBuilder();
        for (int sport = 40001; sport < 40009 && !seen.containsAll(PAIR); sport++) {
            String out = output("scamper", "-c", "trace -P udp-paris -s " + sport, "-i", BALANCED);
            outputs.append(out);
            seen.addAll(TracerouteOutput.parse(out).routersAt(2));
        }
        assertEquals(PAIR, seen, "other flows, other routers:\n" + outputs);
    }

    @Test
    void mtrShowsLossAtAHopLimitedToOneAnswerASecondAndNoneAtTheDestination() throws Exception {
        String out = "";
        for (int run = 0; run < 2; run++) {
            out = output("mtr", "-n", "-r", "-c", "20", "-i", "0.2", LIMITED_BEHIND);
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
        String out = output("traceroute", "-n", "-q", "3", "-w", "1", SILENT_BEHIND);
        assertTrue(Pattern.compile("(?m)^\\s*2\\s+\\* \\* \\*\\s*$").matcher(out).find(), out);
        TracerouteOutput trace = TracerouteOutput.parse(out);
        assertEquals(Set.of("198.18.101.1"), trace.routersAt(1), out);
        assertEquals(Set.of("198.18.101.4"), trace.routersAt(3), out);
        assertEquals(Set.of(SILENT_BEHIND), trace.routersAt(4), out);
        assertTrue(trace.hop(4).millis().size() >= 1, out);
        PingOutput p = PingOutput.parse(output("ping", "-n", "-c", "2", "-i", "0.2", SILENT_BEHIND));
        assertEquals(2, p.received(), "the silent router forwards:\n" + p.text());
        assertEquals(61, p.replies().get(0).ttl(), "64 less three routers");
    }

    @Test
    void traceroute6SeesBothRoutersOfAFlowHop() throws Exception {
        assertBothRoutersOfHop2("fd00:198:101::1", PAIR6, List.of(BALANCED6),
                "traceroute", "-6", "-n", "-N", "1", "-q", "3", BALANCED6);
    }
}
