package io.tunecho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The misbehaviour settings as the real tools see them: ping and fping with a reply from another address, a
 * rewritten identifier, a stale sequence, duplicates, late replies and a changing TTL; the blackbox exporter's ICMP
 * prober against a firewall that drops a reused echo identifier.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MisbehaviourIT {
    private static final String BLACKBOX = "http://127.0.0.1:9119";
    private TunechoProcess tunecho;

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        List<String> yaml = List.of(
                "interface: { name: tunit110, address: 198.18.110.1/24, address6: 'fd00:198:110::1/64' }",
                "hosts:",
                "  - { match: 198.18.110.10, reply-from: 198.18.110.99 }",
                "  - { match: 'fd00:198:110::10', reply-from: 'fd00:198:110::99' }",
                "  - { match: 198.18.110.11, identifier: rewrite }",
                "  - { match: 198.18.110.12, sequence: stale }",
                "  - { match: 198.18.110.13, duplicate: { p: 100%, count: 3 } }",
                "  - { match: 198.18.110.14, late: { p: 50%, by: 2s } }",
                "  - { match: 198.18.110.15, ttl-change: { every: 1s, values: [64, 57] } }",
                "  - { match: 198.18.110.16, echo-id-filter: { after: 3s } }");
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

    @Test
    void pingAndFpingShowTheReplyFromAnotherAddress() throws Exception {
        String ping = run("ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", "198.18.110.10");
        assertTrue(ping.contains("64 bytes from 198.18.110.99: icmp_seq=1 ttl=64"), ping);
        assertTrue(ping.contains("(DIFFERENT ADDRESS!)"), ping);
        assertTrue(ping.contains("3 packets transmitted, 3 received, 0% packet loss"), ping);
        String ping6 = run("ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", "fd00:198:110::10");
        assertTrue(ping6.contains("64 bytes from fd00:198:110::99: icmp_seq=1"), ping6);
        assertTrue(ping6.contains("3 packets transmitted, 3 received"), ping6);
        String fping = run("fping", "-c", "3", "-p", "200", "198.18.110.10");
        assertTrue(fping.contains(" [<- 198.18.110.99]198.18.110.10 : [0], 64 bytes"), fping);
        assertTrue(fping.contains("xmt/rcv/%loss = 3/3/0%"), fping);
    }

    @Test
    void aRewrittenIdentifierIsNeverMatched() throws Exception {
        String ping = run("ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", "198.18.110.11");
        assertTrue(ping.contains("3 packets transmitted, 0 received, 100% packet loss"), ping);
        String fping = run("fping", "-c", "3", "-p", "200", "198.18.110.11");
        assertTrue(fping.contains("xmt/rcv/%loss = 3/0/100%"), fping);
    }

    @Test
    void pingReportsTheStaleSequenceAsADuplicate() throws Exception {
        String ping = run("ping", "-n", "-c", "4", "-i", "0.3", "-W", "1", "198.18.110.12");
        assertTrue(Pattern.compile("icmp_seq=1 ttl=64 time=[0-9.]+ ms \\(DUP!\\)").matcher(ping).find(), ping);
        assertTrue(ping.contains("icmp_seq=3 ttl=64"), ping);
        assertTrue(!ping.contains("icmp_seq=4 "), "no reply carries the last sequence: " + ping);
        assertTrue(ping.contains("4 packets transmitted, 3 received, +1 duplicates, 25% packet loss"), ping);
    }

    @Test
    void duplicatesAsPingAndFpingCountThem() throws Exception {
        String ping = run("ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", "198.18.110.13");
        assertEquals(2, count(ping, "icmp_seq=1 ttl=64 time=[0-9.]+ ms \\(DUP!\\)"), ping);
        // ping -c 3 stops at its third reply: the last request's copies come after it has gone
        assertTrue(ping.contains("3 packets transmitted, 3 received, +4 duplicates, 0% packet loss"), ping);
        String fping = run("fping", "-c", "10", "-p", "100", "-q", "198.18.110.13");
        assertEquals(20, count(fping, "198\\.18\\.110\\.13 : duplicate for \\[\\d\\], 64 bytes"), fping);
        assertTrue(fping.contains("xmt/rcv/%loss = 10/10/0%"), fping);
        String verbose = run("fping", "-c", "10", "-p", "100", "198.18.110.13");
        assertTrue(!verbose.contains("duplicate"), "fping -c without -q says nothing of them: " + verbose);
        assertTrue(verbose.contains("xmt/rcv/%loss = 10/10/0%"), verbose);
    }

    @Test
    void lateRepliesArePrintedLateByPingAndLostByFping() throws Exception {
        String ping = run("ping", "-n", "-c", "12", "-i", "0.3", "-W", "1", "198.18.110.14");
        assertTrue(Pattern.compile("time=20\\d\\d ms").matcher(ping).find(), ping);
        assertTrue(Pattern.compile("time=[0-9.]+ ms\\n").matcher(ping).find(), "some on time: " + ping);
        assertTrue(ping.contains("12 packets transmitted, 12 received"), "ping waits for them: " + ping);
        String fping = run("fping", "-c", "12", "-p", "200", "198.18.110.14");
        Matcher m = Pattern.compile("xmt/rcv/%loss = 12/(\\d+)/").matcher(fping);
        assertTrue(m.find(), fping);
        int received = Integer.parseInt(m.group(1));
        assertTrue(received > 0 && received < 12, "fping's 500 ms time-out loses the late ones: " + fping);
        assertTrue(fping.contains("timed out"), fping);
    }

    @Test
    void pingSeesTheTtlChange() throws Exception {
        String ping = run("ping", "-n", "-c", "6", "-i", "0.5", "-W", "1", "198.18.110.15");
        assertTrue(ping.contains("ttl=64 "), ping);
        assertTrue(ping.contains("ttl=57 "), ping);
        assertTrue(ping.contains("6 received"), ping);
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
            String ping = run("ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", "198.18.110.16");
            assertTrue(ping.contains("2 received"), "a new identifier (a new ping) passes: " + ping);
        } finally {
            blackbox.destroy();
            if (!blackbox.waitFor(10, TimeUnit.SECONDS)) {
                blackbox.destroyForcibly();
            }
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
