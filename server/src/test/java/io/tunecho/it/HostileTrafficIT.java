package io.tunecho.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Traffic nobody designed, written straight into the interface (an AF_PACKET socket bound to it reaches tunecho
 * without the kernel's IP checks: src/test/python/hostile.py) while a real {@code ping -f} runs to a healthy host:
 * the ping loses nothing, tunecho answers none of the bad packets, counts every one by reason, and its memory stays
 * flat.
 */
class HostileTrafficIT {
    private static final java.util.List<String> FIXED_HEAP = java.util.List.of("-Xms256m", "-Xmx256m",
            "-XX:+AlwaysPreTouch");
    private static final int HOSTILE = 200_000;
    private static final int PINGS = 200_000;
    /**
     * Bad packets per second: a load tunecho (here at the leak detector's paranoid level) keeps up with beside the
     * ping. Unpaced, the writer fills the interface's queue faster than any reader empties it, and the kernel drops
     * good and bad packets alike before a responder sees them.
     */
    private static final int RATE = 10_000;

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS");
    }

    private static Map<String, Double> metrics() throws Exception {
        String text = Netns.run(30, "curl", "-s", "-m", "10", "http://127.0.0.1:9466/metrics").assertSuccess().output();
        Map<String, Double> m = new HashMap<>();
        Matcher r = Pattern.compile("(?m)^(tunecho_[a-z_]+(?:\\{[^}]*\\})?) ([0-9.eE+-]+)$").matcher(text);
        while (r.find()) {
            m.put(r.group(1), Double.parseDouble(r.group(2)));
        }
        return m;
    }

    private static double sum(Map<String, Double> m, String prefix) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
    }

    @Test
    void aFloodOfBadPacketsBesideAHealthyPingLosesNothingAndAnswersNoneOfThem(@TempDir Path dir) throws Exception {
        Netns.assertPrivateNamespace();
        Path config = dir.resolve("tunecho.yaml");
        Files.writeString(config, String.join("\n",
                // a queue that absorbs a stall of a loaded test machine: 200 ms at 15,000 packets a second
                "interface: { name: tunit80, address: 198.18.80.1/24, txqueuelen: 10000 }",
                "http: { port: 9466 }",
                "hosts:",
                "  - { match: 198.18.80.3, state: down }",
                "  - { match: 198.18.80.4, state: unreachable }",
                ""));
        // A fixed heap, touched at start: RSS then grows only with what is not heap (direct buffers, code), which is
        // what a leak would grow; the collector may otherwise grow a default heap by hundreds of MB under paranoid
        // leak detection's garbage, which is no leak.
        try (TunechoProcess t = TunechoProcess.startWithJvmOptions(FIXED_HEAP, "--config", config.toString())) {
            t.awaitOutput("HTTP on", 10);
            // warm up, then the baseline of memory and counters
            Netns.run(60, "ping", "-n", "-q", "-f", "-c", "20000", "198.18.80.9").assertSuccess();
            long rssBefore = rssKb(t.pid());
            Map<String, Double> before = metrics();

            Path pingLog = dir.resolve("ping.out");
            Process ping = new ProcessBuilder("ping", "-n", "-q", "-f", "-l", "16", "-c", Integer.toString(PINGS),
                    "198.18.80.9").redirectErrorStream(true).redirectOutput(pingLog.toFile()).start();
            Netns.Result gen;
            try {
                gen = Netns.run(120, "python3", "server/src/test/python/hostile.py", "tunit80", Integer.toString(HOSTILE), "60",
                        "198.18.80", "--hosts", "198.18.80.2,198.18.80.3,198.18.80.4", "--rate", Integer.toString(RATE));
                assertTrue(ping.waitFor(120, TimeUnit.SECONDS));
            } finally {
                ping.destroyForcibly();
            }
            String pingOut = Files.readString(pingLog);
            Map<String, Double> after = metrics();
            double echo = after.get("tunecho_replies_total{kind=\"echo\"}")
                    - before.get("tunecho_replies_total{kind=\"echo\"}");
            String link = Netns.run(10, "ip", "-s", "link", "show", "tunit80").output();
            assertTrue(pingOut.contains(PINGS + " packets transmitted, " + PINGS + " received"),
                    "the healthy ping lost nothing:\n" + pingOut + "\ntunecho's echo replies: " + echo + "\n" + link
                            + "\n" + gen.output());

            Map<String, Integer> sent = new HashMap<>();
            int bad = 0;
            int answerable = 0;
            for (String line : gen.output().strip().split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && !f[0].equals("send_errors")) {
                    sent.put(f[0], Integer.parseInt(f[1]));
                    if (f[2].equals("bad")) {
                        bad += Integer.parseInt(f[1]);
                    } else {
                        answerable += Integer.parseInt(f[1]);
                    }
                }
            }
            assertTrue(bad + answerable > HOSTILE * 0.9, gen.output());
            assertEquals(PINGS, echo, 0, "echo replies went to the healthy ping only: no bad packet was answered");
            double dropped = sum(after, "tunecho_dropped_total") - sum(before, "tunecho_dropped_total");
            double errors = after.get("tunecho_replies_total{kind=\"icmp_error\"}")
                    - before.get("tunecho_replies_total{kind=\"icmp_error\"}");
            double read = sum(after, "tunecho_packets_read_total") - sum(before, "tunecho_packets_read_total");
            // every packet read is answered (the ping's, the UDP and TCP probes' errors and resets) or dropped
            double tcpReplies = after.get("tunecho_replies_total{kind=\"tcp\"}")
                    - before.get("tunecho_replies_total{kind=\"tcp\"}");
            assertTrue(dropped >= bad, dropped + " dropped, " + bad + " bad packets sent:\n" + gen.output()
                    + "\n" + after);
            assertTrue(read >= PINGS + bad, read + " read");
            assertTrue(Math.abs(read - (echo + errors + dropped + tcpReplies)) <= read * 0.01 + 10,
                    "read " + read + " = echo " + echo + " + errors " + errors + " + tcp " + tcpReplies + " + dropped "
                            + dropped);
            long rssAfter = rssKb(t.pid());
            assertTrue(rssAfter < rssBefore + 32 * 1024, "RSS grew from " + rssBefore + " to " + rssAfter + " kB");
            assertEquals(0, t.terminate(), t.output());
        }
    }
}
