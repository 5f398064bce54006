package io.tunecho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP server with the real {@code curl}, {@code ping}, {@code promtool} and {@code tcpdump}: every endpoint, the
 * token, bad input, metrics that move by exactly the pings sent, a host taken down through the API until its
 * {@code for} runs out, the event record, and a packet capture read back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlIT {
    private static final String TOKEN = "s3cret-t0ken";
    private static final String BASE = "http://127.0.0.1:9464";
    private TunechoProcess tunecho;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        dir = Files.createTempDirectory("control-it");
        Path config = dir.resolve("tunecho.yaml");
        Files.writeString(config, String.join("\n",
                "interface: { name: tunit50, address: 198.18.50.1/24 }",
                "http: { port: 9464, token: " + TOKEN + " }",
                "events: { file: " + dir.resolve("events.jsonl") + " }",
                "profiles:",
                "  slow: { delay: 20ms }",
                "hosts:",
                "  - { match: 198.18.50.10, profile: slow }",
                "  - { match: 198.18.50.64/28, ttl: 128 }",
                ""));
        tunecho = TunechoProcess.start("--config", config.toString(), "--transport", "epoll"); // its metrics' label
        tunecho.awaitOutput("HTTP on", 10);
    }

    @AfterAll
    void stop() throws Exception {
        if (tunecho != null) {
            try {
                assertEquals(0, tunecho.terminate(), tunecho.output());
            } finally {
                tunecho.close();
            }
        }
    }

    /** curl: {@code -w} appends the status code on a line of its own. */
    private static String[] curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-m", "10", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        String out = Netns.run(30, cmd.toArray(new String[0])).output();
        int nl = out.lastIndexOf('\n');
        return new String[] {out.substring(0, nl), out.substring(nl + 1).trim()};
    }

    private static String[] api(String method, String path, String body) throws Exception {
        List<String> args = new ArrayList<>(List.of("-X", method, "-H", "Authorization: Bearer " + TOKEN));
        if (body != null) {
            args.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
        }
        args.add(BASE + path);
        return curl(args.toArray(new String[0]));
    }

    private static int received(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ping", "-n"));
        cmd.addAll(List.of(args));
        return PingOutput.parse(Netns.run(60, cmd.toArray(new String[0])).output()).received();
    }

    private static double metric(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
        assertTrue(m.find(), series + " not in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void healthAndMetricsAreOpenAndTheApiNeedsTheToken() throws Exception {
        String[] health = curl(BASE + "/health");
        assertEquals("200", health[1]);
        assertTrue(health[0].contains("\"status\" : \"answering\""), health[0]);
        assertEquals("200", curl(BASE + "/metrics")[1]);
        assertEquals("401", curl(BASE + "/api/hosts")[1]);
        assertEquals("401", curl("-H", "Authorization: Bearer wrong-token", BASE + "/api/hosts")[1]);
        assertEquals("200", api("GET", "/api/hosts", null)[1]);
        assertEquals("404", curl(BASE + "/nope")[1]);
        assertEquals("405", curl("-X", "POST", BASE + "/metrics")[1]);
    }

    @Test
    void theMetricsMoveByExactlyThePingsSentAndPassPromtool() throws Exception {
        String before = curl(BASE + "/metrics")[0];
        double replies = metric(before, "tunecho_replies_total{kind=\"echo\"}");
        double host = metric(before, "tunecho_host_requests_total{entry=\"198.18.50.64/28\"}");
        double read = metric(before, "tunecho_packets_read_total{queue=\"0\",transport=\"epoll\"}");
        assertEquals(7, received("-c", "7", "-i", "0.05", "198.18.50.70"));
        String after = curl(BASE + "/metrics")[0];
        assertEquals(replies + 7, metric(after, "tunecho_replies_total{kind=\"echo\"}"));
        assertEquals(host + 7, metric(after, "tunecho_host_requests_total{entry=\"198.18.50.64/28\"}"));
        assertEquals(host + 7, metric(after, "tunecho_host_replies_total{entry=\"198.18.50.64/28\"}"));
        double readAfter = metric(after, "tunecho_packets_read_total{queue=\"0\",transport=\"epoll\"}");
        assertTrue(readAfter >= read + 7, read + " then " + readAfter + ":\n" + after);
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, after);
        Netns.Result promtool = Netns.run(30, "sh", "-c", "promtool check metrics < " + file);
        assertEquals(0, promtool.exitCode(), promtool.output());
    }

    @Test
    void aHostTakenDownThroughTheApiComesBackWhenItsOverrideRunsOut() throws Exception {
        assertEquals(2, received("-c", "2", "-i", "0.2", "198.18.50.30"));
        String[] put = api("PUT", "/api/hosts/198.18.50.30", "{\"state\": \"down\", \"for\": \"3s\"}");
        assertEquals("200", put[1], put[0]);
        assertTrue(put[0].contains("\"state\" : \"down\"") && put[0].contains("\"expires\""), put[0]);
        assertEquals(0, received("-c", "2", "-i", "0.2", "-W", "1", "198.18.50.30"), "down at once");
        String[] one = api("GET", "/api/hosts/198.18.50.30", null);
        assertTrue(one[0].contains("\"source\" : \"api\""), one[0]);
        String ranOut = Poll.until(10, () -> api("GET", "/api/events?limit=50", null)[0],
                e -> e.contains("\"cause\" : \"expiry\""));
        assertTrue(ranOut.contains("\"cause\" : \"expiry\""), "the override did not run out:\n" + ranOut);
        assertEquals(2, received("-c", "2", "-i", "0.2", "198.18.50.30"), "up after the override ran out");
        String events = api("GET", "/api/events?limit=50", null)[0];
        int down = events.indexOf("\"entry\" : \"198.18.50.30/32\"");
        assertTrue(down >= 0 && events.contains("\"cause\" : \"api\"") && events.contains("\"cause\" : \"expiry\""),
                events);
        String file = Files.readString(dir.resolve("events.jsonl"));
        assertTrue(file.contains("\"cause\":\"api\",\"entry\":\"198.18.50.30/32\",\"change\":\"added: profile "
                + "default, state: down\""), file);
        assertTrue(file.contains("\"cause\":\"expiry\",\"entry\":\"198.18.50.30/32\",\"change\":\"removed\""), file);
    }

    @Test
    void anOverrideOfAnEntryBeatsItsSettingsUntilDeletedOrReset() throws Exception {
        assertEquals("200", api("PUT", "/api/hosts/198.18.50.64/28", "{\"ttl\": 200}")[1]);
        String one = api("GET", "/api/hosts/198.18.50.66", null)[0];
        assertTrue(one.contains("\"ttl\" : \"200\"") && one.contains("\"match\" : \"198.18.50.64/28\""), one);
        PingOutput p = PingOutput.parse(Netns.run(30, "ping", "-n", "-c", "1", "198.18.50.66").output());
        assertEquals(200, p.replies().get(0).ttl());
        assertEquals("200", api("DELETE", "/api/hosts/198.18.50.64/28", null)[1]);
        assertEquals("404", api("DELETE", "/api/hosts/198.18.50.64/28", null)[1]);
        p = PingOutput.parse(Netns.run(30, "ping", "-n", "-c", "1", "198.18.50.66").output());
        assertEquals(128, p.replies().get(0).ttl());
        assertEquals("200", api("PUT", "/api/hosts/198.18.50.5", "{\"state\": \"down\"}")[1]);
        String[] reset = api("POST", "/api/reset", null);
        assertEquals("200", reset[1]);
        assertTrue(reset[0].contains("overrides removed"), reset[0]);
        assertEquals(1, received("-c", "1", "198.18.50.5"));
    }

    @Test
    void badInputIs400NamingTheFieldInTheConfigLoadersWords() throws Exception {
        String[] r = api("PUT", "/api/hosts/198.18.50.40", "{\"delay\": \"10\"}");
        assertEquals("400", r[1]);
        assertTrue(r[0].contains("\"error\" : \"delay '10' is not a duration; write a number and a unit, such as 250us,"
                + " 20ms, 1.5s or 2m\"") && r[0].contains("\"field\" : \"delay\""), r[0]);
        r = api("PUT", "/api/hosts/198.18.50.40", "{\"stat\": \"down\"}");
        assertEquals("400", r[1]);
        assertTrue(r[0].contains("unknown key 'stat'") && r[0].contains("\"field\" : \"stat\""), r[0]);
        r = api("PUT", "/api/hosts/198.18.50.40", "{\"loss\": \"120%\"}");
        assertTrue(r[1].equals("400") && r[0].contains("loss '120%' is out of range"), r[0]);
        r = api("PUT", "/api/hosts/not-an-address", "{\"state\": \"down\"}");
        assertTrue(r[1].equals("400") && r[0].contains("\"field\" : \"match\""), r[0]);
        r = api("PUT", "/api/hosts/198.18.50.40", "{not json");
        assertTrue(r[1].equals("400") && r[0].contains("not valid JSON"), r[0]);
        r = api("PUT", "/api/hosts/198.18.50.40", "{\"profile\": \"nope\"}");
        assertTrue(r[1].equals("400") && r[0].contains("profile 'nope' is not defined"), r[0]);
        r = api("GET", "/api/hosts/198.18.99.1", null);
        assertEquals("404", r[1], r[0]);
    }

    @Test
    void theApiListsAndFindsEntries() throws Exception {
        String all = api("GET", "/api/hosts", null)[0];
        assertTrue(all.contains("\"match\" : \"198.18.50.10/32\"") && all.contains("\"profile\" : \"slow\""), all);
        String found = api("GET", "/api/hosts?q=198.18.50.70", null)[0];
        assertTrue(found.contains("\"answered_by\" : \"198.18.50.64/28\""), found);
        String one = api("GET", "/api/hosts/198.18.50.10", null)[0];
        assertTrue(one.contains("\"delay\" : \"20ms\""), one);
    }

    @Test
    void aReloadThroughTheApiSaysWhatWasRefused() throws Exception {
        String[] r = api("POST", "/api/reload", null);
        assertEquals("200", r[1], r[0]);
        assertTrue(r[0].contains("reloaded"), r[0]);
    }

    @Test
    void aCaptureReadBackWithTcpdumpShowsRequestsAndReplies() throws Exception {
        Path pcap = dir.resolve("t.pcap");
        String[] start = api("POST", "/api/capture", "{\"file\": \"" + pcap + "\"}");
        assertEquals("200", start[1], start[0]);
        assertEquals(3, received("-c", "3", "-i", "0.1", "198.18.50.9"));
        String[] stop = api("DELETE", "/api/capture", null);
        assertEquals("200", stop[1], stop[0]);
        Netns.Result dump = Netns.run(30, "tcpdump", "-n", "-r", pcap.toString());
        assertEquals(0, dump.exitCode(), dump.output());
        assertEquals(3, count(dump.output(), "198.18.50.1 > 198.18.50.9: ICMP echo request"), dump.output());
        assertEquals(3, count(dump.output(), "198.18.50.9 > 198.18.50.1: ICMP echo reply"), dump.output());
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }
}
