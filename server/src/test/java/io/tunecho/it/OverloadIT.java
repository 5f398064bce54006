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
 * An overload at several times what tunecho can answer, for a bounded time: echo requests to a host with a delay
 * (so that its replies fill the delay queue) and fragments that never complete (so that they fill reassembly),
 * written into the interface as fast as a raw socket can. While it lasts, tunecho keeps answering, its delayed
 * replies and fragments stay within their caps, and what does not fit is counted; when it ends, a healthy host
 * answers every ping at once, the held replies drain, and memory is back where it was.
 */
class OverloadIT {
    private static final java.util.List<String> FIXED_HEAP = java.util.List.of("-Xms256m", "-Xmx256m",
            "-XX:+AlwaysPreTouch");
    private static final int MAX_DELAYED = 500;
    private static final int PORT = 9467;
    private static final Pattern LINE = Pattern.compile("(?m)^(tunecho_[a-z_]+(?:\\{[^}]*\\})?) ([0-9.eE+-]+)$");

    private static Map<String, Double> metrics() throws Exception {
        String text = Netns.run(30, "curl", "-s", "-m", "10", "http://127.0.0.1:" + PORT + "/metrics").assertSuccess()
                .output();
        Map<String, Double> m = new HashMap<>();
        Matcher r = LINE.matcher(text);
        while (r.find()) {
            m.put(r.group(1), Double.parseDouble(r.group(2)));
        }
        return m;
    }

    private static double sum(Map<String, Double> m, String name) {
        return m.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS");
    }

    private static long txDropped(String iface) throws Exception {
        String out = Netns.run(10, "ip", "-s", "-o", "link", "show", iface).assertSuccess().output();
        Matcher m = Pattern.compile("TX:.*?\\\\\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(4));
    }

    @Test
    void aFloodBeyondCapacityIsAnsweredAtCapacityWithinItsCapsAndLeavesNothingBehind(@TempDir Path dir)
            throws Exception {
        Netns.assertPrivateNamespace();
        Path config = dir.resolve("tunecho.yaml");
        Files.writeString(config, String.join("\n",
                "interface: { name: tunit81, address: 198.18.81.1/24 }",
                "http: { port: " + PORT + " }",
                "max-delayed: " + MAX_DELAYED,
                "hosts:",
                "  - { match: 198.18.81.50, delay: 500ms }",
                ""));
        // A fixed heap, touched at start: RSS then grows only with what is not heap (direct buffers, code), which is
        // what a leak would grow; the collector may otherwise grow a default heap by hundreds of MB under paranoid
        // leak detection's garbage, which is no leak.
        try (TunechoProcess t = TunechoProcess.startWithJvmOptions(FIXED_HEAP, "--config", config.toString())) {
            t.awaitOutput("HTTP on", 10);
            Netns.run(60, "ping", "-n", "-q", "-f", "-c", "20000", "198.18.81.9").assertSuccess(); // warm up
            // A first, shorter flood of the same kind: the buffer pools grow to what such a flood needs and keep it
            // (45-68 MB of RSS on these machines, by build and run), so what the second leaves behind is a leak's.
            Process warm = new ProcessBuilder("python3", "server/src/test/python/hostile.py", "tunit81", "800000", "6",
                    "198.18.81", "--hosts", "198.18.81.50", "--only", "echo_to_host,fragment_never_completed")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("warm.out").toFile()).start();
            assertTrue(warm.waitFor(30, TimeUnit.SECONDS), "the warm-up flood is bounded to 6 s");
            Poll.until(10, OverloadIT::metrics, m -> sum(m, "tunecho_delayed_replies") == 0);
            long rssBefore = rssKb(t.pid());
            Map<String, Double> before = metrics();
            long txDroppedBefore = txDropped("tunit81");

            Process flood = new ProcessBuilder("python3", "server/src/test/python/hostile.py", "tunit81", "2000000", "15",
                    "198.18.81", "--hosts", "198.18.81.50", "--only", "echo_to_host,fragment_never_completed")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("flood.out").toFile()).start();
            double maxDelayed = 0;
            double maxDatagrams = 0;
            double maxReassemblyBytes = 0;
            int samples = 0;
            int answering = 0;
            double lastEcho = before.get("tunecho_replies_total{kind=\"echo\"}");
            try {
                while (!flood.waitFor(1, TimeUnit.SECONDS)) {
                    Map<String, Double> m = metrics();
                    maxDelayed = Math.max(maxDelayed, sum(m, "tunecho_delayed_replies"));
                    maxDatagrams = Math.max(maxDatagrams, sum(m, "tunecho_reassembly_datagrams"));
                    maxReassemblyBytes = Math.max(maxReassemblyBytes, sum(m, "tunecho_reassembly_bytes"));
                    double echo = m.get("tunecho_replies_total{kind=\"echo\"}");
                    answering += echo > lastEcho ? 1 : 0;
                    lastEcho = echo;
                    samples++;
                    assertTrue(samples < 60, "the flood is bounded to 15 s");
                }
            } finally {
                flood.destroyForcibly();
            }
            String floodOut = Files.readString(dir.resolve("flood.out"));
            assertEquals(0, flood.exitValue(), floodOut);

            // Several times its capacity: the kernel dropped at the interface's queue what tunecho could not read.
            long kernelDropped = txDropped("tunit81") - txDroppedBefore;
            assertTrue(kernelDropped > 0, "no overload: nothing was dropped at the interface\n" + floodOut);
            // It went on answering at its capacity, every second, within its caps, and counted what did not fit.
            assertTrue(samples >= 5 && answering >= samples - 1, answering + " of " + samples
                    + " seconds with replies");
            assertTrue(maxDelayed > 0 && maxDelayed <= MAX_DELAYED, "held replies peaked at " + maxDelayed);
            assertTrue(maxDatagrams > 0 && maxDatagrams <= 1024, "datagrams in reassembly peaked at " + maxDatagrams);
            assertTrue(maxReassemblyBytes <= 4 << 20, "reassembly bytes peaked at " + maxReassemblyBytes);
            Map<String, Double> after = metrics();
            double queueFull = after.get("tunecho_dropped_total{reason=\"delay_queue_full\"}")
                    - before.get("tunecho_dropped_total{reason=\"delay_queue_full\"}");
            assertTrue(queueFull > 0, "replies beyond max-delayed are dropped and counted");
            double lead = sum(after, "tunecho_delay_lead_seconds");
            assertTrue(lead > 0 && lead <= 0.001, "the delay timer learnt its lateness under load: lead " + lead + " s");

            // Back to normal at once: a healthy host answers every ping, the held replies drain within their delay.
            Netns.Result ping = Netns.run(30, "ping", "-n", "-q", "-c", "50", "-i", "0.01", "-W", "1", "198.18.81.9");
            assertTrue(ping.output().contains("50 packets transmitted, 50 received"), ping.output());
            Map<String, Double> drained = Poll.until(10, OverloadIT::metrics,
                    m -> sum(m, "tunecho_delayed_replies") == 0);
            assertEquals(0, sum(drained, "tunecho_delayed_replies"), "the delayed replies went out");
            Netns.run(60, "ping", "-n", "-q", "-f", "-c", "20000", "198.18.81.9").assertSuccess();
            long rssAfter = rssKb(t.pid());
            assertTrue(rssAfter < rssBefore + 64 * 1024, "RSS grew from " + rssBefore + " to " + rssAfter + " kB");
            assertEquals(0, t.terminate(), t.output());
        }
    }
}
