package io.tunecho.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults and misuse: the interface taken down and up, a second instance on the same interface, the HTTP port taken,
 * a capture on a full disk, a storm of reloads and API changes during a flood, and the admin API poked by the wrong
 * client (no token, big bodies, slow and many connections, malformed HTTP). tunecho logs one clear line and
 * recovers or exits non-zero; it never hangs, and the healthy host loses nothing.
 */
class FaultsIT {
    private static final String TOKEN = "s3cret-t0ken";

    @BeforeEach
    void guard() {
        Netns.assertPrivateNamespace();
    }

    private static int received(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ping", "-n"));
        cmd.addAll(List.of(args));
        return PingOutput.parse(Netns.run(120, cmd.toArray(new String[0])).output()).received();
    }

    @Test
    void theInterfaceTakenDownAndUpAgain() throws Exception {
        try (TunechoProcess t = TunechoProcess.start("--interface", "tunit90", "--address", "198.18.90.1/24",
                "--answer", "198.18.90.0/24,203.0.113.0/24")) {
            assertEquals(2, received("-c", "2", "-i", "0.2", "203.0.113.5"));
            Netns.run(10, "ip", "link", "set", "tunit90", "down").assertSuccess();
            t.awaitOutput("tunit90 went down", 10);
            String down = Netns.run(30, "ping", "-n", "-c", "1", "-W", "1", "198.18.90.5").output();
            assertTrue(down.contains("unreachable") || down.contains(" 0 received"), down);
            Netns.run(10, "ip", "link", "set", "tunit90", "up").assertSuccess();
            // the kernel removed the routes with the link; tunecho puts its own back
            t.awaitOutput("tunit90 is up again", 10);
            assertEquals(2, received("-c", "2", "-i", "0.2", "198.18.90.5"));
            assertEquals(2, received("-c", "2", "-i", "0.2", "203.0.113.5"));
            assertEquals(0, t.terminate(), t.output());
        }
    }

    @Test
    void aSecondInstanceOnTheSameInterfaceGetsAClearError() throws Exception {
        try (TunechoProcess first = TunechoProcess.start("--interface", "tunit91", "--address", "198.18.91.1/24")) {
            Netns.Result second = Netns.run(30, Netns.tunechoCommand("--interface", "tunit91", "--address",
                    "198.18.91.1/24").toArray(new String[0]));
            assertEquals(1, second.exitCode(), second.output());
            assertTrue(second.output().contains("interface tunit91 is in use by another process"), second.output());
            assertEquals(2, received("-c", "2", "-i", "0.2", "198.18.91.5"), "the first one goes on");
            assertEquals(0, first.terminate(), first.output());
        }
    }

    @Test
    void theHttpPortTakenAtStartUpIsAClearError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 9470));
            Netns.Result r = Netns.run(30, Netns.tunechoCommand("--interface", "tunit92", "--address",
                    "198.18.92.1/24", "--http", "127.0.0.1:9470").toArray(new String[0]));
            assertEquals(1, r.exitCode(), r.output());
            assertTrue(r.output().contains("cannot listen on 127.0.0.1:9470 for HTTP"), r.output());
            assertTrue(!Netns.interfaceExists("tunit92"), "nothing left behind");
        }
    }

    @Test
    void aCaptureOnAFullDiskStopsWithALineAndAnsweringGoesOn(@TempDir Path dir) throws Exception {
        Path small = dir.resolve("small");
        Files.createDirectories(small);
        // a 64 KiB file system in a mount namespace of tunecho's own
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--", "sh", "-c",
                "mount -t tmpfs -o size=64k none " + small + " && exec \"$0\" \"$@\""));
        cmd.addAll(Netns.tunechoCommand("--interface", "tunit93", "--address", "198.18.93.1/24", "--capture",
                small.resolve("t.pcap").toString()));
        try (TunechoProcess t = TunechoProcess.startCommand(cmd)) {
            assertEquals(3000, received("-q", "-f", "-c", "3000", "198.18.93.5"));
            t.awaitOutput("stopped: cannot write", 10);
            assertEquals(500, received("-q", "-f", "-c", "500", "198.18.93.6"));
            assertEquals(0, t.terminate(), t.output());
        }
    }

    @Test
    void aStormOfReloadsAndApiChangesDuringAFloodLosesNothing(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tunecho.yaml");
        Files.writeString(config, "interface: { name: tunit94, address: 198.18.94.1/24 }\n"
                + "http: { port: 9471, token: " + TOKEN + " }\nhosts:\n  - { match: 198.18.94.50, delay: 5ms }\n");
        try (TunechoProcess t = TunechoProcess.start("--config", config.toString())) {
            t.awaitOutput("HTTP on", 10);
            Process flood = new ProcessBuilder("ping", "-n", "-q", "-f", "-c", "100000", "198.18.94.9")
                    .redirectErrorStream(true).start();
            long cpuBefore = cpuTicks(t.pid());
            long start = System.nanoTime();
            String out;
            try {
                for (int i = 0; i < 300 && flood.isAlive(); i++) {
                    t.signal("HUP");
                    if (i % 3 == 0) {
                        Netns.run(10, "curl", "-s", "-m", "5", "-X", "PUT", "-H", "Authorization: Bearer " + TOKEN,
                                "-d", "{\"delay\": \"" + (i % 7 + 1) + "ms\", \"for\": \"1s\"}",
                                "http://127.0.0.1:9471/api/hosts/198.18.94.60");
                    }
                    Thread.sleep(10);
                }
                assertTrue(flood.waitFor(120, TimeUnit.SECONDS));
                out = new String(flood.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                flood.destroyForcibly();
            }
            assertTrue(out.contains("100000 packets transmitted, 100000 received"), out);
            assertEquals(2, received("-c", "2", "-i", "0.2", "198.18.94.50"));
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (cpuTicks(t.pid()) - cpuBefore) / 100.0;
            assertTrue(cpu < seconds * 1.9, "tunecho used " + cpu + " s of CPU in " + seconds + " s");
            assertEquals(0, t.terminate(), t.output());
        }
    }

    private static long cpuTicks(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    @Test
    void theAdminApiRefusesTheWrongClientsWithoutHarmingThePackets(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tunecho.yaml");
        Files.writeString(config, "interface: { name: tunit95, address: 198.18.95.1/24 }\n"
                + "http: { port: 9472, token: " + TOKEN + " }\n");
        try (TunechoProcess t = TunechoProcess.start("--config", config.toString())) {
            t.awaitOutput("HTTP on", 10);
            Process flood = new ProcessBuilder("ping", "-n", "-q", "-f", "-c", "50000", "198.18.95.9")
                    .redirectErrorStream(true).start();
            List<Socket> idle = new ArrayList<>();
            String out;
            try {
                for (String path : List.of("/api/hosts", "/api/hosts/198.18.95.5", "/api/events", "/api/reset",
                        "/api/reload", "/api/capture", "/api")) {
                    for (String method : List.of("GET", "PUT", "POST", "DELETE")) {
                        String code = Netns.run(10, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X",
                                method, "http://127.0.0.1:9472" + path).output().trim();
                        assertEquals("401", code, method + " " + path);
                    }
                }
                Path big = dir.resolve("big.json");
                Files.writeString(big, "{\"state\": \"" + "x".repeat(100_000) + "\"}");
                String code = Netns.run(10, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H",
                        "Authorization: Bearer " + TOKEN, "--data-binary", "@" + big,
                        "http://127.0.0.1:9472/api/hosts/198.18.95.5").output().trim();
                assertEquals("413", code, "a body over 64 KiB");
                assertEquals("400", rawRequest("GARBAGE\r\n\r\n").substring(9, 12), "malformed HTTP");
                for (int i = 0; i < 200; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", 9472), 2000);
                    idle.add(s);
                }
                long closed = idle.stream().filter(FaultsIT::closedByPeer).count();
                assertTrue(closed >= 200 - 128, closed + " of 200 idle connections closed at once");
                assertTrue(flood.waitFor(120, TimeUnit.SECONDS));
                out = new String(flood.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                flood.destroyForcibly();
                for (Socket s : idle) {
                    s.close();
                }
            }
            assertTrue(out.contains("50000 packets transmitted, 50000 received"), out);
            // a slow client: half a request, then silence; the server closes it after its read timeout
            try (Socket slow = new Socket()) {
                slow.connect(new InetSocketAddress("127.0.0.1", 9472), 2000);
                slow.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                slow.setSoTimeout(20_000);
                long start = System.nanoTime();
                assertEquals(-1, slow.getInputStream().read(), "closed without an answer");
                double waited = (System.nanoTime() - start) / 1e9;
                assertTrue(waited > 8 && waited < 15, "closed after " + waited + " s");
            }
            String health = Netns.run(10, "curl", "-s", "http://127.0.0.1:9472/health").output();
            assertTrue(health.contains("answering"), health);
            assertEquals(0, t.terminate(), t.output());
        }
    }

    private static boolean closedByPeer(Socket s) {
        try {
            s.setSoTimeout(2000);
            return s.getInputStream().read() == -1;
        } catch (java.io.IOException e) {
            return e.getMessage() != null && (e.getMessage().contains("reset") || e.getMessage().contains("closed"));
        }
    }

    private static String rawRequest(String text) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 9472), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(64), StandardCharsets.US_ASCII);
        }
    }
}
