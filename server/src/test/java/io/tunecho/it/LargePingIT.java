package io.tunecho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pings larger than the interface's MTU (1500), as the real {@code ping} sends them: the kernel fragments each
 * request, tunecho reassembles it, answers, and fragments the reply, which the kernel reassembles for ping. Run in
 * this test's own network namespace, against the server jar with its defaults but the interface name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargePingIT {
    private static final String IFACE = "tunit2";
    private static final Pattern STOPPED = Pattern.compile("stopped; (replied=\\d+.*)");
    private TunechoProcess tunecho;

    /** Options that pick the transport: epoll here (not the default, auto), io_uring in {@link LargePingIoUringIT}. */
    protected String[] transportOptions() {
        return new String[] {"--transport", "epoll"};
    }

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        String[] args = {"--interface", IFACE, "--address6", "fd00:198:2::1/64"};
        String[] transport = transportOptions();
        String[] all = java.util.Arrays.copyOf(args, args.length + transport.length);
        System.arraycopy(transport, 0, all, args.length, transport.length);
        tunecho = TunechoProcess.start(all);
    }

    /** Stops the server: clean exit, no buffer leaked, and not one fragment dropped in all these pings. */
    @AfterAll
    void stop() throws Exception {
        if (tunecho == null) {
            return;
        }
        try {
            // SIGTERM by kill(1), not Process.destroy(), which closes the pipe and loses what tunecho prints last
            tunecho.signal("TERM");
            assertEquals(0, tunecho.waitForExit(20), tunecho.output());
            assertFalse(tunecho.output().contains("LEAK"), tunecho.output());
            Matcher m = STOPPED.matcher(tunecho.output());
            assertTrue(m.find(), tunecho.output());
            assertFalse(m.group(1).contains("fragment") || m.group(1).contains("reassembly"),
                    "fragments were dropped: " + m.group(1));
        } finally {
            tunecho.close();
        }
    }

    private static Netns.Result ping(String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "ping";
        cmd[1] = "-n";
        System.arraycopy(args, 0, cmd, 2, args.length);
        return Netns.run(120, cmd);
    }

    private static void assertAnswered(PingOutput p, int count, int size, String address) {
        assertEquals(count, p.transmitted(), p.text());
        assertEquals(count, p.received(), p.text());
        assertEquals(count, p.replies().size(), p.text());
        for (PingOutput.Reply r : p.replies()) {
            assertEquals(address, r.from(), p.text());
            assertEquals(size + 8, r.bytes(), p.text());
            assertEquals(64, r.ttl(), p.text());
        }
        assertTrue(p.allRepliesIntact(), p.text());
    }

    @Test
    void answersPingOf8000Bytes() throws Exception {
        PingOutput p = PingOutput.parse(ping("-c", "3", "-i", "0.2", "-W", "2", "-s", "8000", "198.18.0.2").output());
        assertAnswered(p, 3, 8000, "198.18.0.2");
    }

    @Test
    void answersTheLargestPing() throws Exception {
        // 65,507 bytes of data: an IPv4 datagram of 65,535 bytes, 45 fragments each way
        PingOutput p = PingOutput.parse(ping("-c", "3", "-i", "0.2", "-W", "2", "-s", "65507", "198.18.0.3")
                .output());
        assertAnswered(p, 3, 65507, "198.18.0.3");
    }

    @ParameterizedTest
    @ValueSource(ints = {1473, 1480, 2952, 2953, 4000, 20000, 65506})
    void keepsLargePayloadsIntact(int size) throws Exception {
        PingOutput p = PingOutput.parse(ping("-c", "2", "-i", "0.2", "-W", "2", "-s", Integer.toString(size), "-p",
                "a5c3", "198.18.0.7").output());
        assertAnswered(p, 2, size, "198.18.0.7");
    }

    @Test
    void manyLargePingsInARowLoseNothing() throws Exception {
        // -A: each ping as soon as the last reply came, with 4 in flight. (Not -f: it sends at least 100 a second
        // whatever the replies, and with the leak detector at paranoid on a busy machine tunecho can fall behind
        // long enough for the TUN's queue to overflow.)
        PingOutput p = PingOutput.parse(ping("-A", "-l", "4", "-c", "500", "-s", "8000", "198.18.0.5").output());
        assertEquals(500, p.transmitted(), p.text());
        assertEquals(500, p.received(), () -> p.text() + diagnostics());
        assertTrue(p.allRepliesIntact(), p.text());
    }

    /** Where packets could have been lost: the interface's counters and the kernel's IP and ICMP statistics. */
    private String diagnostics() {
        try {
            return Netns.run(10, "ip", "-s", "link", "show", "dev", IFACE).output()
                    + Netns.run(10, "cat", "/proc/net/snmp").output();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void aLargePingThatMayNotBeFragmentedNeverLeavesTheHost() throws Exception {
        // -M do sets DF: the kernel refuses to send 8028 bytes through an MTU of 1500, as it does towards any host
        Netns.Result r = ping("-c", "2", "-i", "0.2", "-W", "1", "-M", "do", "-s", "8000", "198.18.0.4");
        PingOutput p = PingOutput.parse(r.output());
        assertEquals(0, p.received(), r.output());
        assertTrue(r.output().contains("message too long, mtu=1500"), r.output());
        assertNotEquals(0, r.exitCode());
    }

    @Test
    void answersALargePingThatCarriesIpOptions() throws Exception {
        // -R: a record-route option in the first fragment's header only (its copied flag is clear)
        PingOutput p = PingOutput.parse(ping("-c", "2", "-i", "0.2", "-W", "2", "-R", "-s", "4000", "198.18.0.8")
                .output());
        assertAnswered(p, 2, 4000, "198.18.0.8");
    }

    @Test
    void answersALargeIpv6Ping() throws Exception {
        // the kernel sends fragment headers; tunecho reassembles, answers, and fragments its reply the same way
        PingOutput p = PingOutput.parse(ping("-6", "-c", "3", "-i", "0.2", "-W", "2", "-s", "8000", "-p", "5a",
                "fd00:198:2::2").output());
        assertAnswered6(p, 3, 8000, "fd00:198:2::2");
    }

    @Test
    void answersTheLargestIpv6Ping() throws Exception {
        // 65,527 bytes of data: an IPv6 payload of 65,535 bytes, the most without a jumbogram
        PingOutput p = PingOutput.parse(ping("-6", "-c", "2", "-i", "0.2", "-W", "2", "-s", "65527",
                "fd00:198:2::3").output());
        assertAnswered6(p, 2, 65527, "fd00:198:2::3");
    }

    private static void assertAnswered6(PingOutput p, int count, int size, String address) {
        assertEquals(count, p.transmitted(), p.text());
        assertEquals(count, p.received(), p.text());
        assertEquals(count, p.replies().size(), p.text());
        for (PingOutput.Reply r : p.replies()) {
            assertEquals(address, r.from(), p.text());
            assertEquals(size + 8, r.bytes(), p.text());
        }
        assertTrue(p.allRepliesIntact(), p.text());
    }

    @Test
    void aPingWithinTheMtuIsAnsweredWhole() throws Exception {
        PingOutput p = PingOutput.parse(ping("-c", "2", "-i", "0.2", "-W", "2", "-M", "do", "-s", "1472",
                "198.18.0.6").output());
        assertAnswered(p, 2, 1472, "198.18.0.6");
    }
}
