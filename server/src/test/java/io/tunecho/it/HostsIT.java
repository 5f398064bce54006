package io.tunecho.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Virtual hosts with behaviour of their own, seen by the real {@code ping} and {@code fping}: delay, TTL, loss
 * (independent and in bursts), duplicates, corruption, down, unreachable, a rate limit, a timeline, and a down
 * range with an up host inside it. One server, one config file, each behaviour on its own address.
 */
class HostsIT {
    private static final String IFACE = "tunit40";

    @RegisterExtension
    static final ServerFixture TUNECHO = ServerFixture.withConfig(
            "interface: { name: " + IFACE + ", address: 198.18.40.1/24 }",
            "seed: 1",
            "profiles:",
            "  slow: { delay: 50ms }",
            "  windows: { ttl: 128 }",
            "  lossy: { loss: 30% }",
            "  bursty: { loss: { p: 5%, r: 25% } }",
            "hosts:",
            "  - { match: 198.18.40.10, profile: slow }",
            "  - { match: 198.18.40.11, profile: windows }",
            "  - { match: 198.18.40.12, profile: lossy }",
            "  - { match: 198.18.40.13, profile: bursty }",
            "  - { match: 198.18.40.14, duplicate: 100% }",
            "  - { match: 198.18.40.15, corrupt: 100% }",
            "  - { match: 198.18.40.16, rate: 20 }",
            "  - { match: 198.18.40.20, state: down }",
            "  - { match: 198.18.40.21, state: unreachable }",
            "  - match: 198.18.40.30",
            "    timeline: { repeat: true, steps: [ { for: 1s, state: up }, { for: 1s, state: down } ] }",
            "  - { match: 198.18.40.64/28, state: down }",
            "  - { match: 198.18.40.70, state: up }",
        "  - { match: 203.0.113.0/24, ttl: 255 }");

    private static PingOutput ping(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ping", "-n"));
        cmd.addAll(List.of(args));
        return PingOutput.parse(Netns.output(cmd.toArray(new String[0])));
    }

    @Test
    void theStartUpLineCountsTheEntries() {
        assertTrue(TUNECHO.output().contains("13 host entries, 4 profiles"), TUNECHO.output());
    }

    @Test
    void aSlowHostAnswersAfterItsDelay() throws Exception {
        PingOutput p = ping("-c", "20", "-i", "0.05", "198.18.40.10");
        assertEquals(20, p.received(), p.text());
        double median = p.medianMillis();
        assertTrue(median >= 49.9 && median < 55, "median " + median + " ms for a 50 ms delay:\n" + p.text());
    }

    @Test
    void aWindowsHostAnswersWithTtl128() throws Exception {
        PingOutput p = ping("-c", "2", "-i", "0.2", "198.18.40.11");
        assertEquals(2, p.received(), p.text());
        p.replies().forEach(r -> assertEquals(128, r.ttl()));
    }

    @Test
    void aHostEntryOutsideTheSubnetIsRoutedAndAnswered() throws Exception {
        PingOutput p = ping("-c", "2", "-i", "0.2", "203.0.113.9");
        assertEquals(2, p.received(), p.text());
        assertEquals(255, p.replies().get(0).ttl());
    }

    @Test
    void aLossyHostLosesItsShare() throws Exception {
        PingOutput p = ping("-c", "600", "-i", "0.002", "-W", "1", "198.18.40.12");
        double expected = 600 * 0.7;
        double sd = Math.sqrt(600 * 0.3 * 0.7);
        assertTrue(Math.abs(p.received() - expected) < 4.5 * sd, p.received() + " of 600 answered at 30% loss");
    }

    @Test
    void aBurstyHostLosesInRunsOfTheConfiguredLength() throws Exception {
        PingOutput p = ping("-c", "1500", "-i", "0.002", "-W", "1", "198.18.40.13");
        SortedSet<Integer> got = p.sequences();
        int runs = 0;
        int lost = 0;
        boolean inRun = false;
        for (int seq = 1; seq <= 1500; seq++) {
            boolean missing = !got.contains(seq);
            if (missing) {
                lost++;
                if (!inRun) {
                    runs++;
                }
            }
            inRun = missing;
        }
        double meanRun = (double) lost / runs;
        // p = 5%, r = 25%: long-run loss 5/30 = 16.7%, runs of 1/r = 4 packets on average
        assertTrue(lost > 1500 * 0.09 && lost < 1500 * 0.26, lost + " lost of 1500");
        assertTrue(meanRun > 2.6 && meanRun < 6, "mean run of losses " + meanRun + " (" + runs + " runs)");
    }

    @Test
    void aDuplicatingHostMakesPingPrintDup() throws Exception {
        PingOutput p = ping("-c", "3", "-i", "0.2", "198.18.40.14");
        // ping stops at the third reply, so the third duplicate may come after it left
        int dups = p.text().split("DUP!", -1).length - 1;
        assertTrue(dups >= 2, p.text());
        assertTrue(p.text().contains("+" + dups + " duplicates"), p.text());
    }

    @Test
    void aCorruptingHostMakesPingReportWrongData() throws Exception {
        PingOutput p = ping("-c", "3", "-i", "0.2", "198.18.40.15");
        assertTrue(p.text().contains("wrong data byte"), p.text());
    }

    @Test
    void aRateLimitedHostAnswersAtItsRate() throws Exception {
        // 100 pings over a second or two: 20 from the full bucket, then 20 per second
        PingOutput p = ping("-c", "100", "-i", "0.01", "-W", "1", "198.18.40.16");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("time (\\d+)ms").matcher(p.text());
        assertTrue(m.find(), p.text());
        double expected = 20 + 20 * Integer.parseInt(m.group(1)) / 1000.0;
        assertTrue(Math.abs(p.received() - expected) <= 6, p.received() + " answered, " + expected + " expected:\n"
                + p.text());
    }

    @Test
    void aDownHostIsSilent() throws Exception {
        PingOutput p = ping("-c", "2", "-i", "0.2", "-W", "1", "198.18.40.20");
        assertEquals(0, p.received(), p.text());
        assertTrue(!p.text().contains("Unreachable"), p.text());
    }

    @Test
    void anUnreachableHostIsReportedByItsGateway() throws Exception {
        PingOutput p = ping("-c", "2", "-i", "0.2", "-W", "1", "198.18.40.21");
        assertEquals(0, p.received(), p.text());
        assertTrue(p.text().contains("From 198.18.40.254 icmp_seq=1 Destination Host Unreachable"), p.text());
    }

    @Test
    void fpingSeesExactlyTheUpHostsOfARange() throws Exception {
        Netns.Result r = Netns.run(60, "fping", "-a", "-r", "0", "-t", "300", "-g", "198.18.40.64/28");
        assertEquals(List.of("198.18.40.70"), List.of(r.output().strip().split("\\s+")), r.output());
    }

    @Test
    void aFlappingHostIsSeenToFlap() throws Exception {
        // 1 s up, 1 s down: 40 pings over 4 s see both, in runs
        PingOutput p = ping("-c", "40", "-i", "0.1", "-W", "1", "198.18.40.30");
        assertTrue(p.received() >= 12 && p.received() <= 28, p.received() + " of 40:\n" + p.text());
        SortedSet<Integer> got = p.sequences();
        int changes = 0;
        for (int seq = 2; seq <= 40; seq++) {
            if (got.contains(seq) != got.contains(seq - 1)) {
                changes++;
            }
        }
        assertTrue(changes >= 2 && changes <= 6, changes + " changes between up and down:\n" + got);
    }
}
