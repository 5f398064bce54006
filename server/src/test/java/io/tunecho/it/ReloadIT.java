package io.tunecho.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGHUP re-reads the config file while tunecho answers: changes apply at once, and nothing is lost. */
class ReloadIT {
    /** The HTTP server, for the metrics: the same in every config written, as a reload cannot change it. */
    private static final String HTTP = "http: { port: 9441 }\n";
    private static final Pattern DELAYED = Pattern.compile(
            "(?m)^tunecho_delayed_replies(?:\\{[^}]*\\})? ([0-9.eE+-]+)$");

    @BeforeEach
    void guard() {
        Netns.assertPrivateNamespace();
    }

    private static int received(String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "ping";
        cmd[1] = "-n";
        System.arraycopy(args, 0, cmd, 2, args.length);
        return PingOutput.parse(Netns.run(60, cmd).output()).received();
    }

    private static String config(String hosts) {
        return "interface: { name: tunit41, address: 198.18.41.1/24 }\nhosts:\n" + hosts + HTTP;
    }

    /** The replies tunecho holds back now, from its metrics. */
    private static double heldReplies() throws Exception {
        String text = Netns.run(30, "curl", "-s", "-m", "10", "http://127.0.0.1:9441/metrics").assertSuccess().output();
        double held = 0;
        Matcher m = DELAYED.matcher(text);
        while (m.find()) {
            held += Double.parseDouble(m.group(1));
        }
        return held;
    }

    @Test
    void aReloadTakesEffectForTheNextPingWhileAFloodLosesNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tunecho.yaml");
        Files.writeString(file, config("  - { match: 198.18.41.70, delay: 300ms }\n"));
        try (TunechoProcess t = TunechoProcess.start("--config", file.toString())) {
            t.awaitOutput("HTTP on", 10);
            assertEquals(2, received("-c", "2", "-i", "0.2", "198.18.41.50"));

            Process flood = new ProcessBuilder("ping", "-n", "-q", "-f", "-c", "30000", "198.18.41.60")
                    .redirectErrorStream(true).start();
            Process delayed = new ProcessBuilder("ping", "-n", "-c", "6", "-i", "0.1", "-w", "30", "198.18.41.70")
                    .redirectErrorStream(true).start();
            try {
                reloadWhileTheyRun(t, file, flood, delayed);
            } finally {
                flood.destroyForcibly();
                delayed.destroyForcibly();
            }
            assertEquals(0, t.terminate(), t.output());
        }
    }

    private static void reloadWhileTheyRun(TunechoProcess t, Path file, Process flood, Process delayed)
            throws Exception {
        // the delayed pings are in flight: their replies held back for 300 ms
        assertTrue(Poll.until(10, ReloadIT::heldReplies, held -> held > 0) > 0, "no reply held before the reload");

        Files.writeString(file, config("  - { match: 198.18.41.70, delay: 300ms }\n"
                + "  - { match: 198.18.41.50, state: down }\n  - { match: 198.18.42.0/24, ttl: 255 }\n"));
        t.signal("HUP");
        t.awaitOccurrences("reloaded", 1, 10);
        assertEquals(0, received("-c", "2", "-i", "0.2", "-W", "1", "198.18.41.50"), "down after the reload");
        assertEquals(2, received("-c", "2", "-i", "0.2", "198.18.42.5"), "a new routed entry answers");

        Files.writeString(file, config("  - { match: 198.18.41.50, stat: up }\n"));
        t.signal("HUP");
        t.awaitOccurrences("refused", 1, 10);
        assertTrue(t.output().contains(":3: unknown key 'stat' in hosts[0]"), t.output());
        assertEquals(0, received("-c", "2", "-i", "0.2", "-W", "1", "198.18.41.50"), "the running config stays");
        assertEquals(2, received("-c", "2", "-i", "0.2", "198.18.41.9"));

        Files.writeString(file, "interface: { name: tunit41, address: 198.18.41.1/24, mtu: 1400 }\n" + HTTP);
        t.signal("HUP");
        t.awaitOccurrences("refused", 2, 10);
        assertTrue(t.output().contains("interface.mtu changed: that needs a restart; nothing was changed"),
                t.output());

        assertTrue(delayed.waitFor(30, TimeUnit.SECONDS));
        String d = new String(delayed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        PingOutput dp = PingOutput.parse(d);
        assertEquals(6, dp.received(), "held replies survive a reload:\n" + d);
        assertTrue(dp.allRepliesIntact(), "and none is sent twice:\n" + d);

        assertTrue(flood.waitFor(60, TimeUnit.SECONDS));
        String f = new String(flood.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(f.contains("30000 packets transmitted, 30000 received"), "the flood lost nothing:\n" + f);
    }

    @Test
    void aReloadWithoutAConfigFileChangesNothing() throws Exception {
        try (TunechoProcess t = TunechoProcess.start("--interface", "tunit43", "--address", "198.18.43.1/24")) {
            t.signal("HUP");
            t.awaitOutput("no --config file", 10);
            assertEquals(2, received("-c", "2", "-i", "0.2", "198.18.43.5"));
            assertEquals(0, t.terminate(), t.output());
        }
    }
}
