package io.tunecho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as users run it, answering the real {@code ping} and {@code fping}, in this test's own network
 * namespace. tunecho runs with its built-in defaults except the interface name: 198.18.0.1/24, answering the rest
 * of 198.18.0.0/24.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerPingIT {
    private static final String IFACE = "tunit0";
    private TunechoProcess tunecho;

    /**
     * Options that pick the transport: epoll here (not the default, auto, which takes io_uring where the kernel has
     * multishot reads), io_uring in {@link ServerPingIoUringIT}, auto in {@link TransportAutoIT}.
     */
    protected String[] transportOptions() {
        return new String[] {"--transport", "epoll"};
    }

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        String[] args = new String[] {"--interface", IFACE};
        String[] transport = transportOptions();
        String[] all = java.util.Arrays.copyOf(args, args.length + transport.length);
        System.arraycopy(transport, 0, all, args.length, transport.length);
        tunecho = TunechoProcess.start(all);
    }

    /** Stops the server as a service manager would: clean exit, interface gone, no buffer leaked. */
    @AfterAll
    void stop() throws Exception {
        if (tunecho == null) {
            return;
        }
        try {
            assertEquals(0, tunecho.terminate(), tunecho.output());
            assertFalse(Netns.interfaceExists(IFACE), "the interface tunecho created is still there");
            assertFalse(tunecho.output().contains("LEAK"), tunecho.output());
        } finally {
            tunecho.close();
        }
    }

    private static PingOutput ping(String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "ping";
        cmd[1] = "-n";
        System.arraycopy(args, 0, cmd, 2, args.length);
        return PingOutput.parse(Netns.run(120, cmd).output());
    }

    @Test
    void startupLineNamesInterfaceAddressAndAnswers() {
        String out = tunecho.output();
        assertTrue(out.contains(IFACE) && out.contains("198.18.0.1/24") && out.contains("198.18.0.0/24"), out);
        assertTrue(out.contains(", " + transportOptions()[1] + ")"), out);
    }

    @Test
    void answersThreePings() throws Exception {
        PingOutput p = ping("-c", "3", "-i", "0.2", "-W", "2", "198.18.0.2");
        assertEquals(3, p.transmitted());
        assertEquals(3, p.received(), p.text());
        assertEquals(3, p.replies().size(), p.text());
        for (int i = 0; i < 3; i++) {
            PingOutput.Reply r = p.replies().get(i);
            assertEquals("198.18.0.2", r.from());
            assertEquals(i + 1, r.sequence());
            assertEquals(64, r.ttl());
            assertEquals(64, r.bytes()); // 56 bytes of payload + the 8-byte ICMP header
        }
        assertTrue(p.allRepliesIntact(), p.text());
    }

    @Test
    void answersEveryAddressOfTheSubnetButItsOwn() throws Exception {
        for (String address : new String[] {"198.18.0.3", "198.18.0.128", "198.18.0.254"}) {
            PingOutput p = ping("-c", "1", "-W", "2", address);
            assertEquals(1, p.received(), p.text());
            assertEquals(address, p.replies().get(0).from());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 55, 57, 1000, 1471, 1472})
    void keepsPayloadsOfEveryLengthIntact(int size) throws Exception {
        PingOutput p = ping("-c", "2", "-i", "0.2", "-W", "2", "-s", Integer.toString(size), "-p", "a5c3", "198.18.0.9");
        assertEquals(2, p.received(), p.text());
        assertTrue(p.allRepliesIntact(), p.text());
        assertEquals(size + 8, p.replies().get(0).bytes());
    }

    @Test
    void answersARequestThatCarriesIpOptions() throws Exception {
        // -R adds a record-route option: a 44-byte IPv4 header.
        PingOutput p = ping("-c", "2", "-i", "0.2", "-W", "2", "-R", "198.18.0.4");
        assertEquals(2, p.received(), p.text());
        assertTrue(p.allRepliesIntact(), p.text());
    }

    @Test
    void floodOf20000WithPreload32LosesNothing() throws Exception {
        PingOutput p = ping("-f", "-l", "32", "-c", "20000", "198.18.0.5");
        assertEquals(20000, p.transmitted(), p.text());
        assertEquals(20000, p.received(), p.text());
        assertTrue(p.allRepliesIntact(), p.text());
    }

    @Test
    void floodOf100000WithPreload64LosesNothing() throws Exception {
        PingOutput p = ping("-f", "-l", "64", "-c", "100000", "198.18.0.6");
        assertEquals(100000, p.transmitted(), p.text());
        assertEquals(100000, p.received(), p.text());
        assertTrue(p.allRepliesIntact(), p.text());
    }

    @Test
    void fpingFindsAnsweredHostsAlive() throws Exception {
        Netns.Result r = Netns.run(60, "fping", "-c", "3", "-p", "50", "-q", "198.18.0.10", "198.18.0.11", "198.18.0.12");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(3, r.output().split("xmt/rcv/%loss = 3/3/0%", -1).length - 1, r.output());
    }

    @Test
    void theInterfaceAddressIsTheKernelsOwn() throws Exception {
        // The kernel answers for its own address; the packet never reaches the TUN.
        PingOutput p = ping("-c", "2", "-i", "0.2", "-W", "2", "198.18.0.1");
        assertEquals(2, p.received(), p.text());
    }

    @Test
    void noAnswerForTheBroadcastAddress() throws Exception {
        Netns.Result r = Netns.run(30, "ping", "-n", "-b", "-c", "2", "-i", "0.2", "-W", "1", "198.18.0.255");
        PingOutput p = PingOutput.parse(r.output());
        assertEquals(0, p.received(), p.text());
        assertNotEquals(0, r.exitCode());
    }

    @Test
    void noAnswerOutsideTheAnsweredSubnet() throws Exception {
        Netns.Result add = Netns.run(10, "ip", "route", "replace", "203.0.113.0/24", "dev", IFACE);
        add.assertSuccess();
        try {
            Netns.Result r = Netns.run(30, "ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", "203.0.113.7");
            assertEquals(0, PingOutput.parse(r.output()).received(), r.output());
        } finally {
            Netns.run(10, "ip", "route", "del", "203.0.113.0/24", "dev", IFACE);
        }
    }
}
