package io.tunecho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP as the everyday tools see it: {@code nc -z}, {@code nmap -sS}, {@code nmap -sn -PS}, a plain TCP connect (what
 * the blackbox exporter's {@code tcp} prober does), against a host with open ports, a host with none and a host that
 * is down. {@link TcpFloodIT} floods it with SYNs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpIT {
    private static final String IFACE = "tunit61";
    /** Ports 22, 80 and 443 open. */
    private static final String WEB = "198.18.61.10";
    /** The default profile: every port closed. */
    private static final String PLAIN = "198.18.61.11";
    private static final String DOWN = "198.18.61.12";
    /** Ports 22, 80 and 443 open, over IPv6. */
    private static final String WEB6 = "fd00:198:61::10";

    private TunechoProcess tunecho;

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        List<String> yaml = List.of(
                "interface: { name: " + IFACE + ", address: 198.18.61.1/24, address6: 'fd00:198:61::1/64' }",
                "profiles:",
                "  web: { tcp: { open: [22, 80, 443] } }",
                "hosts:",
                "  - { match: " + WEB + ", profile: web }",
                "  - { match: " + DOWN + ", profile: web, state: down }",
                "  - { match: '" + WEB6 + "', profile: web }");
        tunecho = TunechoProcess.startWithConfig(List.of(), yaml);
    }

    @AfterAll
    void stop() throws Exception {
        if (tunecho != null) {
            tunecho.stop();
        }
    }

    @Test
    void ncConnectsToAnOpenPortAndIsRefusedByAClosedOne() throws Exception {
        Netns.Result open = Netns.run(10, "nc", "-z", "-v", "-w", "2", WEB, "22");
        assertEquals(0, open.exitCode(), open.output());
        assertTrue(open.output().contains("Connection to " + WEB + " 22 port [tcp/ssh] succeeded!"), open.output());

        Netns.Result closed = Netns.run(10, "nc", "-z", "-v", "-w", "2", WEB, "23");
        assertEquals(1, closed.exitCode(), closed.output());
        assertTrue(closed.output().contains("port 23 (tcp) failed: Connection refused"), closed.output());

        Netns.Result plain = Netns.run(10, "nc", "-z", "-v", "-w", "2", PLAIN, "22");
        assertEquals(1, plain.exitCode(), plain.output());
        assertTrue(plain.output().contains("Connection refused"), plain.output());

        Netns.Result down = Netns.run(10, "nc", "-z", "-v", "-w", "2", DOWN, "22");
        assertEquals(1, down.exitCode(), down.output());
        assertTrue(down.output().contains("timed out"), "a down host is silent:\n" + down.output());
    }

    @Test
    void overIpv6TooAnOpenPortConnectsAndAClosedOneRefuses() throws Exception {
        Netns.Result open = Netns.run(10, "nc", "-6", "-z", "-v", "-w", "2", WEB6, "443");
        assertEquals(0, open.exitCode(), open.output());
        assertTrue(open.output().contains("succeeded"), open.output());

        Netns.Result closed = Netns.run(10, "nc", "-6", "-z", "-v", "-w", "2", WEB6, "8443");
        assertEquals(1, closed.exitCode(), closed.output());
        assertTrue(closed.output().contains("Connection refused"), closed.output());

        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(WEB6, 80), 2000);
            s.setSoTimeout(2000);
            assertEquals(-1, s.getInputStream().read(), "closed cleanly over IPv6 too");
        }
    }

    @Test
    void ncSendsDataAndSeesTheConnectionClosed() throws Exception {
        Netns.Result r = Netns.sh(10, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -N -w 2 " + WEB + " 80");
        assertEquals(0, r.exitCode(), "the host read the request and closed the connection:\n" + r.output());
    }

    @Test
    void nmapSynScanReportsOpenAndClosedPorts() throws Exception {
        Netns.Result r = Netns.run(60, "nmap", "-sS", "-n", "-p", "22,23,80,443", WEB).assertSuccess();
        String out = r.output();
        assertTrue(Pattern.compile("(?m)^22/tcp\\s+open\\s").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^23/tcp\\s+closed\\s").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^80/tcp\\s+open\\s").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^443/tcp\\s+open\\s").matcher(out).find(), out);
    }

    @Test
    void nmapTcpPingSeesEveryHostThatIsUp() throws Exception {
        Netns.Result r = Netns.run(60, "nmap", "-sn", "-n", "-PS22", WEB, PLAIN, DOWN).assertSuccess();
        String out = r.output();
        assertTrue(out.contains("Nmap scan report for " + WEB), out);
        assertTrue(out.contains("Nmap scan report for " + PLAIN), "a reset shows the host up:\n" + out);
        assertTrue(out.contains("(2 hosts up)"), "the down host stays down:\n" + out);
    }

    @Test
    void aTcpConnectCheckSucceedsOnAnOpenPort() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(WEB, 443), 2000);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "the host closes the connection cleanly: end of stream, no reset");
        }
        ConnectException refused = assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(WEB, 444), 2000);
            }
        });
        assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());
        assertThrows(SocketTimeoutException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(DOWN, 443), 500);
            }
        });
    }
}
