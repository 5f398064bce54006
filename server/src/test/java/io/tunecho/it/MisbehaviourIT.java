package io.tunecho.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tunecho.it.Netns.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The misbehaviour settings as the real tools see them: ping and fping with a reply from another address, a
 * rewritten identifier, a stale sequence, duplicates, late replies and a changing TTL; the blackbox exporter's ICMP
 * prober against a firewall that drops a reused echo identifier.
 */
class MisbehaviourIT {
    private static final String BLACKBOX = "http://127.0.0.1:9119";

    @RegisterExtension
    static final ServerFixture TUNECHO = ServerFixture.withConfig(
            "interface: { name: tunit110, address: 198.18.110.1/24, address6: 'fd00:198:110::1/64' }",
            // A fixed seed: the late replies' test needs a late one among the first requests (see there)
            "seed: 110",
            "hosts:",
            "  - { match: 198.18.110.10, reply-from: 198.18.110.99 }",
            "  - { match: 'fd00:198:110::10', reply-from: 'fd00:198:110::99' }",
            "  - { match: 198.18.110.11, identifier: rewrite }",
            "  - { match: 198.18.110.12, sequence: stale }",
            "  - { match: 198.18.110.13, duplicate: { p: 100%, count: 3 } }",
            "  - { match: 198.18.110.14, late: { p: 50%, by: 2s } }",
            "  - { match: 198.18.110.15, ttl-change: { every: 1s, values: [64, 57] } }",
            "  - { match: 198.18.110.16, echo-id-filter: { after: 3s } }");

    /** What {@code ping -n -c count -i interval -W 1 address} printed. */
    private static String ping(int count, String interval, String address) throws Exception {
        return output("ping", "-n", "-c", Integer.toString(count), "-i", interval, "-W", "1", address);
    }

    /** What {@code fping -c count -p period args…} printed: {@code args} are its other options, then the address. */
    private static String fping(int count, int period, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("fping", "-c", Integer.toString(count), "-p",
                Integer.toString(period)));
        cmd.addAll(List.of(args));
        return output(cmd.toArray(new String[0]));
    }

    @Test
    void pingAndFpingShowTheReplyFromAnotherAddress() throws Exception {
        String ping = ping(3, "0.2", "198.18.110.10");
        assertContains(ping, "64 bytes from 198.18.110.99: icmp_seq=1 ttl=64", "(DIFFERENT ADDRESS!)",
                "3 packets transmitted, 3 received, 0% packet loss");
        String ping6 = ping(3, "0.2", "fd00:198:110::10");
        assertContains(ping6, "64 bytes from fd00:198:110::99: icmp_seq=1", "3 packets transmitted, 3 received");
        String fping = fping(3, 200, "198.18.110.10");
        assertContains(fping, " [<- 198.18.110.99]198.18.110.10 : [0], 64 bytes", "xmt/rcv/%loss = 3/3/0%");
    }

    @Test
    void aRewrittenIdentifierIsNeverMatched() throws Exception {
        String ping = ping(3, "0.2", "198.18.110.11");
        assertContains(ping, "3 packets transmitted, 0 received, 100% packet loss");
        String fping = fping(3, 200, "198.18.110.11");
        assertContains(fping, "xmt/rcv/%loss = 3/0/100%");
    }

    @Test
    void pingReportsTheStaleSequenceAsADuplicate() throws Exception {
        String ping = ping(4, "0.3", "198.18.110.12");
        assertTrue(Pattern.compile("icmp_seq=1 ttl=64 time=[0-9.]+ ms \\(DUP!\\)").matcher(ping).find(), ping);
        assertContains(ping, "icmp_seq=3 ttl=64");
        assertTrue(!ping.contains("icmp_seq=4 "), "no reply carries the last sequence: " + ping);
        assertContains(ping, "4 packets transmitted, 3 received, +1 duplicates, 25% packet loss");
    }

    @Test
    void duplicatesAsPingAndFpingCountThem() throws Exception {
        String ping = ping(3, "0.2", "198.18.110.13");
        assertEquals(2, count(ping, "icmp_seq=1 ttl=64 time=[0-9.]+ ms \\(DUP!\\)"), ping);
        // ping -c 3 stops at its third reply: the last request's copies come after it has gone
        assertContains(ping, "3 packets transmitted, 3 received, +4 duplicates, 0% packet loss");
        String fping = fping(10, 100, "-q", "198.18.110.13");
        assertEquals(20, count(fping, "198\\.18\\.110\\.13 : duplicate for \\[\\d\\], 64 bytes"), fping);
        assertContains(fping, "xmt/rcv/%loss = 10/10/0%");
        String verbose = fping(10, 100, "198.18.110.13");
        assertTrue(!verbose.contains("duplicate"), "fping -c without -q says nothing of them: " + verbose);
        assertContains(verbose, "xmt/rcv/%loss = 10/10/0%");
    }

    @Test
    void lateRepliesArePrintedLateByPingAndLostByFping() throws Exception {
        // ping -c waits for replies after its last request for twice the longest round trip it has seen, so it waits
        // for the late ones only if one came back while it was still sending: a late reply to one of the first nine
        // of 20 requests (at 0.2 s, 2 s late). The fixture's seed makes that so, the same every run (1 in 512 without)
        String ping = ping(20, "0.2", "198.18.110.14");
        assertTrue(Pattern.compile("time=20\\d\\d ms").matcher(ping).find(), ping);
        assertTrue(Pattern.compile("time=[0-9.]+ ms\\n").matcher(ping).find(), "some on time: " + ping);
        assertTrue(ping.contains("20 packets transmitted, 20 received"), "ping waits for them: " + ping);
        String fping = fping(12, 200, "198.18.110.14");
        Matcher m = Pattern.compile("xmt/rcv/%loss = 12/(\\d+)/").matcher(fping);
        assertTrue(m.find(), fping);
        int received = Integer.parseInt(m.group(1));
        assertTrue(received > 0 && received < 12, "fping's 500 ms time-out loses the late ones: " + fping);
        assertContains(fping, "timed out");
    }

    @Test
    void pingSeesTheTtlChange() throws Exception {
        String ping = ping(6, "0.5", "198.18.110.15");
        assertContains(ping, "ttl=64 ", "ttl=57 ", "6 received");
    }

    @Test
    void theBlackboxExporterFailsOnceTheIdentifierFilterEngages(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path config = dir.resolve("blackbox.yml");
        Files.writeString(config, String.join("\n", "modules:", "  icmp:", "    prober: icmp", "    timeout: 2s",
                "    icmp:", "      preferred_ip_protocol: ip4", "      ip_protocol_fallback: false", ""));
        Process blackbox = new ProcessBuilder("prometheus-blackbox-exporter", "--config.file=" + config,
                "--web.listen-address=127.0.0.1:9119").redirectErrorStream(true)
                .redirectOutput(dir.resolve("blackbox.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            Poll.Read<String> probe = () -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(BLACKBOX
                            + "/probe?module=icmp&target=198.18.110.16")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                } catch (java.io.IOException e) {
                    return "not ready: " + e;
                }
            };
            String first = Poll.until(20, probe, b -> b.contains("\nprobe_success "));
            assertTrue(first.contains("\nprobe_success 1"), "the first probes pass: " + first);
            String later = Poll.until(30, probe, b -> b.contains("\nprobe_success 0"));
            assertTrue(later.contains("\nprobe_success 0"), "fails after 3 s with the same identifier: " + later);
            String after = probe.get();
            assertTrue(after.contains("\nprobe_success 0"), "and keeps failing: " + after);
            String ping = ping(2, "0.2", "198.18.110.16");
            assertTrue(ping.contains("2 received"), "a new identifier (a new ping) passes: " + ping);
        } finally {
            blackbox.destroy();
            if (!blackbox.waitFor(10, TimeUnit.SECONDS)) {
                blackbox.destroyForcibly();
            }
        }
    }

    /** Asserts that {@code text} contains each of {@code parts}, showing the whole text when not. */
    private static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), text);
        }
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
