package io.tunecho.policy;

import io.tunecho.hosts.Hop;
import io.tunecho.hosts.HopChoice;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.LossModel;
import io.tunecho.packet.DropReason;
import io.tunecho.samples.EmbeddedResponder;
import io.tunecho.samples.Packets;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.tunecho.samples.EmbeddedResponder.host;
import static io.tunecho.samples.Packets.checksum;
import static io.tunecho.samples.Packets.get32;
import static io.tunecho.samples.Packets.put16;
import static io.tunecho.samples.Packets.put32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hops with a choice of routers ({@code by: flow, packet, destination}) and routers' own settings on their answers,
 * through the whole pipeline, with a seed and a clock the test controls.
 */
class PathChoiceTest {
    private static final int SRC = 0xC6120001; // 198.18.0.1
    private static final int HOST = 0xCB00710A; // 203.0.113.10
    private static final int OTHER = 0xCB00710B; // 203.0.113.11
    private static final int FIRST = 0xC6124701; // 198.18.71.1
    private static final int LEFT = 0xC6124801; // 198.18.72.1
    private static final int RIGHT = 0xC6124802; // 198.18.72.2
    private static final long NET6 = 0xfd00_0198_0018_0000L;

    private EmbeddedResponder responder;

    private static IpCidr v4(int a) {
        return IpCidr.ipv4(a, 32);
    }

    private static Hop choice(HopChoice by, IpCidr... routers) {
        return new Hop(List.of(routers), by);
    }

    /** Hosts at HOST and OTHER behind 198.18.71.1 then a choice of 198.18.72.1 and .2; {@code routers} their own. */
    private void start(HopChoice by, HostSettings left, HostSettings right) {
        HostSettings path = HostSettings.of(HostSetting.HOPS, List.of(Hop.of(v4(FIRST)),
                choice(by, v4(LEFT), v4(RIGHT))));
        responder = EmbeddedResponder.of(host(HOST, path), host(OTHER, path), host(LEFT, left), host(RIGHT, right));
    }

    @AfterEach
    void tearDown() {
        if (responder != null) {
            responder.close();
        }
    }

    /** An IPv4 UDP datagram (checksum 0: none), as traceroute sends. */
    private static byte[] udp(int dst, int ttl, int srcPort, int dstPort) {
        byte[] p = new byte[20 + 8 + 12];
        p[0] = 0x45;
        put16(p, 2, p.length);
        put16(p, 4, 0x4242);
        p[8] = (byte) ttl;
        p[9] = 17;
        put32(p, 12, SRC);
        put32(p, 16, dst);
        put16(p, 10, checksum(p, 0, 20));
        put16(p, 20, srcPort);
        put16(p, 22, dstPort);
        put16(p, 24, p.length - 20);
        return p;
    }

    /** An IPv6 UDP datagram with its checksum and flow label 0. */
    private static byte[] udp6(long dstLow, int hopLimit, int srcPort, int dstPort) {
        byte[] p = new byte[40 + 8 + 12];
        p[0] = 0x60;
        put16(p, 4, p.length - 40);
        p[6] = 17;
        p[7] = (byte) hopLimit;
        put32(p, 8, (int) (NET6 >>> 32));
        put32(p, 12, (int) NET6);
        put32(p, 20, 1);
        put32(p, 24, (int) (NET6 >>> 32));
        put32(p, 28, (int) NET6);
        put32(p, 32, (int) (dstLow >>> 32));
        put32(p, 36, (int) dstLow);
        put16(p, 40, srcPort);
        put16(p, 42, dstPort);
        put16(p, 44, p.length - 40);
        byte[] pseudo = new byte[40 + p.length - 40];
        System.arraycopy(p, 8, pseudo, 0, 32);
        put32(pseudo, 32, p.length - 40);
        pseudo[39] = 17;
        System.arraycopy(p, 40, pseudo, 40, p.length - 40);
        put16(p, 46, checksum(pseudo, 0, pseudo.length));
        return p;
    }

    /** Sends {@code packet} and returns the first reply, or null. */
    private byte[] send(byte[] packet) {
        responder.send(packet);
        return responder.reply();
    }

    /**
     * The router that answered {@code probe} (that expires on the way) with ICMP time exceeded, 100 ms after the
     * previous probe (within the ICMP error limit of 10 a second from one router to one prober).
     */
    private int timeExceededFrom(byte[] probe) {
        responder.advance(100);
        byte[] error = send(probe);
        assertNotNull(error, "time exceeded");
        assertEquals(11, error[20], "time exceeded");
        return get32(error, 12);
    }

    @Test
    void oneFlowTakesOneRouterAndChangingPortsTakesBoth() {
        start(HopChoice.FLOW, HostSettings.EMPTY, HostSettings.EMPTY);
        int first = timeExceededFrom(udp(HOST, 2, 40000, 33434));
        for (int i = 0; i < 20; i++) {
            assertEquals(first, timeExceededFrom(udp(HOST, 2, 40000, 33434)), "a Paris traceroute's probes: one path");
        }
        Set<Integer> seen = new HashSet<>();
        for (int port = 33434; port < 33440; port++) { // one classic traceroute's probes to the first two hops
            seen.add(timeExceededFrom(udp(HOST, 2, 40000, port)));
        }
        assertEquals(Set.of(LEFT, RIGHT), seen, "six ports reach both routers");
        assertEquals(FIRST, timeExceededFrom(udp(HOST, 1, 40000, 33434)), "TTL 1: the first hop");
    }

    @Test
    void anEchoFlowIsItsIdentifierNotItsSequence() {
        start(HopChoice.FLOW, HostSettings.EMPTY, HostSettings.EMPTY);
        int first = timeExceededFrom(new Packets.Builder().src(SRC).dst(HOST).ttl(2).seq(1).build());
        for (int seq = 2; seq < 20; seq++) {
            assertEquals(first, timeExceededFrom(new Packets.Builder().src(SRC).dst(HOST).ttl(2).seq(seq).build()),
                    "ping and mtr keep their identifier: one path");
        }
        Set<Integer> seen = new HashSet<>();
        for (int id = 1; id <= 6; id++) {
            byte[] p = new Packets.Builder().src(SRC).dst(HOST).ttl(2).build();
            put16(p, 24, id);
            put16(p, 22, 0);
            put16(p, 22, checksum(p, 20, p.length - 20));
            seen.add(timeExceededFrom(p));
        }
        assertEquals(Set.of(LEFT, RIGHT), seen, "six identifiers reach both routers");
    }

    @Test
    void byPacketEveryProbeDrawsARouter() {
        start(HopChoice.PACKET, HostSettings.EMPTY, HostSettings.EMPTY);
        int left = 0;
        for (int i = 0; i < 100; i++) {
            left += timeExceededFrom(udp(HOST, 2, 40000, 33434)) == LEFT ? 1 : 0;
        }
        assertTrue(left > 30 && left < 70, "one flow, both routers: " + left + " of 100 on the left");
    }

    @Test
    void byDestinationEveryFlowToOneAddressTakesOneRouter() {
        start(HopChoice.DESTINATION, HostSettings.EMPTY, HostSettings.EMPTY);
        int first = timeExceededFrom(udp(HOST, 2, 40000, 33434));
        for (int port = 33435; port < 33460; port++) {
            assertEquals(first, timeExceededFrom(udp(HOST, 2, 40000 + port, port)));
        }
        int other = timeExceededFrom(udp(OTHER, 2, 40000, 33434));
        for (int port = 33435; port < 33460; port++) {
            assertEquals(other, timeExceededFrom(udp(OTHER, 2, 40000 + port, port)));
        }
    }

    @Test
    void theReplyCarriesTheDelaysOfTheRoutersTakenAndLosesOneTtlPerHop() {
        start(HopChoice.FLOW, HostSettings.of(HostSetting.DELAY, 10_000_000L),
                HostSettings.of(HostSetting.DELAY, 30_000_000L));
        Set<Integer> seen = new HashSet<>();
        for (int port = 33434; port < 33440; port++) {
            responder.advance(100);
            assertNull(send(udp(HOST, 2, 40000, port)), "the router's answer waits for its own delay");
            responder.advance(30);
            byte[] error = responder.reply();
            assertEquals(11, error[20], "time exceeded");
            int router = get32(error, 12);
            seen.add(router);
            assertNull(send(udp(HOST, 64, 40000, port)), "delayed by the router it crossed");
            responder.advance(router == LEFT ? 9 : 29);
            assertNull(responder.reply(), "not before the path's delay");
            responder.advance(1);
            byte[] r = responder.reply();
            assertNotNull(r, "after the delay of " + (router == LEFT ? "the left" : "the right") + " router");
            assertEquals(3, r[20], "port unreachable from the host");
            assertEquals(HOST, get32(r, 12));
            assertEquals(64 - 2, r[8] & 0xFF, "two hops on the way back");
        }
        assertEquals(2, seen.size());
    }

    @Test
    void recordRouteShowsTheRoutersTaken() {
        start(HopChoice.FLOW, HostSettings.EMPTY, HostSettings.EMPTY);
        Set<Integer> recorded = new HashSet<>();
        for (int id = 1; id <= 6; id++) {
            byte[] rr = new byte[40];
            rr[0] = 7; // Record Route, room for 9 addresses
            rr[1] = 39;
            rr[2] = 4;
            byte[] ping = new Packets.Builder().src(SRC).dst(HOST).ttl(64).options(rr).build();
            put16(ping, 64, id);
            put16(ping, 62, 0);
            put16(ping, 62, checksum(ping, 60, ping.length - 60));
            int router = timeExceededFrom(ttl2(ping));
            byte[] r = send(ping);
            assertNotNull(r);
            assertEquals(7, r[20], "the reply records the route");
            assertEquals(FIRST, get32(r, 23), "out: the first hop");
            assertEquals(router, get32(r, 27), "out: the router this flow takes");
            recorded.add(get32(r, 27));
        }
        assertEquals(Set.of(LEFT, RIGHT), recorded);
    }

    /** The same packet with TTL 2. */
    private static byte[] ttl2(byte[] p) {
        byte[] q = p.clone();
        q[8] = 2;
        int ihl = (q[0] & 0xF) * 4;
        put16(q, 10, 0);
        put16(q, 10, checksum(q, 0, ihl));
        return q;
    }

    @Test
    void aRouterWithRateZeroForwardsButNeverAnswers() {
        start(HopChoice.FLOW, HostSettings.of(HostSetting.RATE, 0.0), HostSettings.of(HostSetting.RATE, 0.0));
        for (int port = 33434; port < 33444; port++) {
            responder.advance(100);
            assertNull(send(udp(HOST, 2, 40000, port)), "* * * at the silent hop");
            assertNotNull(send(udp(HOST, 3, 40000, port)), "the host behind it answers");
        }
        assertEquals(10, responder.counters().dropped(DropReason.RATE_LIMITED));
        assertEquals(10, responder.hostCounters(LEFT).dropped(HostCounters.Drop.RATE)
                + responder.hostCounters(RIGHT).dropped(HostCounters.Drop.RATE));
        assertNull(send(new Packets.Builder().src(SRC).dst(LEFT).build()), "nor does it answer a ping");
    }

    @Test
    void aRoutersRateLimitsItsTimeExceededAnswers() {
        HostSettings one = HostSettings.of(HostSetting.RATE, 1.0);
        start(HopChoice.FLOW, one, one);
        int router = timeExceededFrom(udp(HOST, 2, 40000, 33434));
        for (int i = 0; i < 5; i++) {
            responder.advance(100);
            assertNull(send(udp(HOST, 2, 40000, 33434)), "one a second");
            assertNotNull(send(udp(HOST, 64, 40000, 33434)), "the destination answers all");
        }
        responder.advance(400);
        assertEquals(router, timeExceededFrom(udp(HOST, 2, 40000, 33434)), "a second later, one more");
        assertEquals(5, responder.hostCounters(router).dropped(HostCounters.Drop.RATE));
    }

    @Test
    void aRoutersLossAndDelayApplyToItsAnswers() {
        start(HopChoice.FLOW, HostSettings.builder().set(HostSetting.LOSS, LossModel.independent(1))
                .set(HostSetting.DELAY, 20_000_000L).build(), HostSettings.builder()
                .set(HostSetting.LOSS, LossModel.independent(1)).set(HostSetting.DELAY, 20_000_000L).build());
        assertNull(send(udp(HOST, 2, 40000, 33434)), "lost");
        assertNull(responder.reply());
        assertEquals(1, responder.counters().dropped(DropReason.LOSS));
        responder.close();
        start(HopChoice.FLOW, HostSettings.of(HostSetting.DELAY, 20_000_000L),
                HostSettings.of(HostSetting.DELAY, 20_000_000L));
        assertNull(send(udp(HOST, 2, 40000, 33434)), "its own delay first");
        responder.advance(19);
        assertNull(responder.reply());
        responder.advance(1);
        byte[] error = responder.reply();
        assertNotNull(error);
        assertEquals(11, error[20]);
    }

    @Test
    void ipv6FlowsSpreadOverAChoiceToo() {
        IpCidr target = IpCidr.parse("fd00:198:18::10");
        IpCidr a = IpCidr.parse("fd00:198:18::a1");
        IpCidr b = IpCidr.parse("fd00:198:18::a2");
        responder = EmbeddedResponder.of(host(target, HostSettings.of(HostSetting.HOPS,
                List.of(choice(HopChoice.FLOW, a, b)))));
        Set<Long> seen = new HashSet<>();
        for (int port = 33434; port < 33440; port++) {
            long from = timeExceeded6From(udp6(0x10, 1, 40000, port));
            seen.add(from);
            assertEquals(from, timeExceeded6From(udp6(0x10, 1, 40000, port)), "the same flow, the same router");
        }
        assertEquals(Set.of(0xa1L, 0xa2L), seen, "six ports reach both routers");
        byte[] r = send(udp6(0x10, 64, 40000, 33434));
        assertNotNull(r);
        assertEquals(1, r[40], "port unreachable from the host");
        assertEquals(64 - 1, r[7] & 0xFF, "one hop on the way back");
    }

    /** The low 64 bits of the router that answered {@code probe} with ICMPv6 time exceeded. */
    private long timeExceeded6From(byte[] probe) {
        responder.advance(100);
        byte[] error = send(probe);
        assertNotNull(error, "time exceeded");
        assertEquals(3, error[40], "ICMPv6 time exceeded");
        return (long) get32(error, 16) << 32 | get32(error, 20) & 0xFFFF_FFFFL;
    }
}
