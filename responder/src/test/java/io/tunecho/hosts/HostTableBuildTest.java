package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Profiles, host entries and timelines resolved into a table. */
class HostTableBuildTest {
    private static final IpCidr IFACE = IpCidr.parse("198.18.0.1/24");
    private final ManualClock clock = new ManualClock();

    private static int ip(String s) {
        return IpCidr.parse(s).ipv4Address();
    }

    private static HostSpec host(String match, String profile, HostSettings settings) {
        return new HostSpec(IpCidr.parse(match), profile, settings, 0, "test.yaml:1");
    }

    private HostTable build(Map<String, HostSettings> profiles, HostSpec... hosts) {
        return HostTable.build(new HostConfig(IFACE, List.of(), profiles, List.of(hosts)), null, clock);
    }

    private Behaviour at(HostTable t, String address) {
        HostEntry e = t.lookupIpv4(ip(address));
        return e.behaviourAt(clock.nanoTime(), e.offsetOfIpv4(ip(address)));
    }

    @Test
    void layersResolveDefaultsProfileOwnSettings() {
        HostTable t = build(Map.of(
                        "default", HostSettings.of(HostSetting.TTL, 60),
                        "far-away", HostSettings.builder().set(HostSetting.DELAY, 120_000_000L)
                                .set(HostSetting.JITTER, 10_000_000L).build(),
                        "windows", HostSettings.builder().set(HostSetting.TTL, 128)
                                .set(HostSetting.LOSS, LossModel.independent(0.2)).build()),
                host("198.18.0.10", "far-away", HostSettings.EMPTY),
                host("198.18.0.64/27", "windows", HostSettings.EMPTY),
                host("198.18.0.99", "windows", HostSettings.builder().set(HostSetting.STATE, HostState.DOWN)
                        .set(HostSetting.TTL, 250).build()));
        assertEquals(60, at(t, "198.18.0.2").ttl(), "the default profile applies to every answered address");
        assertEquals(60, at(t, "198.18.0.10").ttl(), "a profile builds on the default");
        assertEquals(120_000_000L, at(t, "198.18.0.10").delayNanos());
        assertEquals(128, at(t, "198.18.0.70").ttl());
        assertEquals(0.2, at(t, "198.18.0.70").loss().meanLoss(), 1e-9);
        assertEquals(HostState.DOWN, at(t, "198.18.0.99").state(), "settings inline override the profile's");
        assertEquals(250, at(t, "198.18.0.99").ttl());
        assertEquals("windows", t.lookupIpv4(ip("198.18.0.99")).profile());
        assertTrue(at(t, "198.18.0.2").shapesReplies() == false && !at(t, "198.18.0.2").mayRefuse());
        assertEquals("198.18.0.0/24 except 198.18.0.1; 3 host entries, 3 profiles", t.toString());
    }

    @Test
    void anUndefinedProfileIsAnErrorNamingTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(Map.of(), host("198.18.0.10", "nope", HostSettings.EMPTY)));
        assertEquals("test.yaml:1: profile 'nope' is not defined (profiles: default)", e.getMessage());
    }

    @Test
    void theInterfacesOwnAddressIsNoHost() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(Map.of(), host("198.18.0.1", null, HostSettings.EMPTY)));
        assertTrue(e.getMessage().contains("interface's own address"), e.getMessage());
    }

    @Test
    void hostsOutsideTheAnswerAreAnsweredAndRouted() {
        HostTable t = build(Map.of(), host("203.0.113.0/24", null, HostSettings.EMPTY),
                host("203.0.113.7", null, HostSettings.of(HostSetting.TTL, 255)),
                host("192.0.2.9", null, HostSettings.EMPTY));
        assertTrue(t.answersIpv4(ip("203.0.113.5")));
        assertEquals(255, at(t, "203.0.113.7").ttl());
        assertEquals(List.of(IpCidr.parse("203.0.113.0/24"), IpCidr.parse("192.0.2.9/32")),
                t.routesOutside(IFACE), "a prefix inside another routed one needs no route of its own");
    }

    @Test
    void anUnreachableHostNeedsAnAnsweredGateway() {
        HostTable t = build(Map.of(), host("198.18.0.99", null, HostSettings.builder()
                .set(HostSetting.STATE, HostState.UNREACHABLE).build()));
        assertEquals(IpCidr.parse("198.18.0.254"), t.defaultGateway());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(Map.of(),
                host("198.18.0.99", null, HostSettings.builder().set(HostSetting.STATE, HostState.UNREACHABLE)
                        .set(HostSetting.GATEWAY, IpCidr.parse("10.1.1.1")).build())));
        assertTrue(e.getMessage().contains("gateway 10.1.1.1"), e.getMessage());
    }

    @Test
    void aTimelineStepsThroughItsSettingsAndRepeats() {
        TimelineSpec flap = new TimelineSpec(List.of(
                new TimelineSpec.Step(4_000_000_000L, HostSettings.of(HostSetting.STATE, HostState.UP)),
                new TimelineSpec.Step(2_000_000_000L, HostSettings.of(HostSetting.STATE, HostState.DOWN)),
                new TimelineSpec.Step(4_000_000_000L, HostSettings.of(HostSetting.DELAY, 300_000_000L))), true);
        HostTable t = build(Map.of(), host("198.18.0.50", null, HostSettings.of(HostSetting.TIMELINE, flap)));
        assertEquals(HostState.UP, at(t, "198.18.0.50").state());
        clock.advance(4, TimeUnit.SECONDS);
        assertEquals(HostState.DOWN, at(t, "198.18.0.50").state());
        clock.advance(2, TimeUnit.SECONDS);
        assertEquals(HostState.UP, at(t, "198.18.0.50").state());
        assertEquals(300_000_000L, at(t, "198.18.0.50").delayNanos());
        clock.advance(4, TimeUnit.SECONDS);
        assertEquals(0, at(t, "198.18.0.50").delayNanos(), "repeats after 10 s");
        clock.advance(5, TimeUnit.SECONDS);
        assertEquals(HostState.DOWN, at(t, "198.18.0.50").state());
    }

    @Test
    void aTimelineThatDoesNotRepeatEndsInTheEntrysOwnSettings() {
        TimelineSpec maintenance = new TimelineSpec(List.of(
                new TimelineSpec.Step(1_000_000_000L, HostSettings.of(HostSetting.STATE, HostState.DOWN))), false);
        HostTable t = build(Map.of(), host("198.18.0.51", null, HostSettings.builder().set(HostSetting.TTL, 128)
                .set(HostSetting.TIMELINE, maintenance).build()));
        assertEquals(HostState.DOWN, at(t, "198.18.0.51").state());
        assertEquals(128, at(t, "198.18.0.51").ttl(), "a step overrides only what it sets");
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(HostState.UP, at(t, "198.18.0.51").state());
    }

    @Test
    void aProfileMayCarryTheTimeline() {
        TimelineSpec flap = new TimelineSpec(List.of(
                new TimelineSpec.Step(1_000_000_000L, HostSettings.of(HostSetting.STATE, HostState.DOWN)),
                new TimelineSpec.Step(1_000_000_000L, HostSettings.EMPTY)), true);
        HostTable t = build(Map.of("flapper", HostSettings.of(HostSetting.TIMELINE, flap)),
                host("198.18.0.52", "flapper", HostSettings.EMPTY));
        assertEquals(HostState.DOWN, at(t, "198.18.0.52").state());
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(HostState.UP, at(t, "198.18.0.52").state());
    }

    @Test
    void staggerRollsAnOutageAcrossASubnet() {
        TimelineSpec outage = new TimelineSpec(List.of(
                new TimelineSpec.Step(1_000_000_000L, HostSettings.of(HostSetting.STATE, HostState.DOWN))), false);
        HostTable t = HostTable.build(new HostConfig(IFACE, List.of(), Map.of(), List.of(new HostSpec(
                IpCidr.parse("198.18.0.128/29"), null, HostSettings.of(HostSetting.TIMELINE, outage),
                1_000_000_000L, "test.yaml:1"))), null, clock);
        // .128 is the network's first address: offset 0; .130 starts 2 s later
        assertEquals(HostState.DOWN, at(t, "198.18.0.128").state(), "offset 0 starts at once");
        assertEquals(HostState.UP, at(t, "198.18.0.129").state(), "offset 1 starts after 1 s");
        clock.advance(1500, TimeUnit.MILLISECONDS);
        assertEquals(HostState.DOWN, at(t, "198.18.0.129").state());
        assertEquals(HostState.UP, at(t, "198.18.0.130").state());
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(HostState.UP, at(t, "198.18.0.129").state());
        assertEquals(HostState.DOWN, at(t, "198.18.0.130").state());
    }

    @Test
    void aRebuildKeepsCountersAndTheTimelinesPhaseOfUnchangedEntries() {
        TimelineSpec flap = new TimelineSpec(List.of(
                new TimelineSpec.Step(4_000_000_000L, HostSettings.EMPTY),
                new TimelineSpec.Step(2_000_000_000L, HostSettings.of(HostSetting.STATE, HostState.DOWN))), true);
        HostSpec flapper = host("198.18.0.50", null, HostSettings.of(HostSetting.TIMELINE, flap));
        HostSpec slow = host("198.18.0.60", null, HostSettings.of(HostSetting.DELAY, 5_000_000L));
        HostConfig config = new HostConfig(IFACE, List.of(), Map.of(), List.of(flapper, slow));
        HostTable first = HostTable.build(config, null, clock);
        first.lookupIpv4(ip("198.18.0.50")).counters().request(1);
        clock.advance(5, TimeUnit.SECONDS);
        HostSpec slower = host("198.18.0.60", null, HostSettings.of(HostSetting.DELAY, 9_000_000L));
        HostTable second = HostTable.build(new HostConfig(IFACE, List.of(), Map.of(), List.of(flapper, slower)),
                first, clock);
        HostEntry before = first.lookupIpv4(ip("198.18.0.50"));
        HostEntry after = second.lookupIpv4(ip("198.18.0.50"));
        assertNotSame(before, after);
        assertSame(before.counters(), after.counters());
        assertEquals(before.epochNanos(), after.epochNanos(), "an unchanged timeline keeps its phase");
        assertEquals(HostState.DOWN, at(second, "198.18.0.50").state());
        assertEquals(9_000_000L, at(second, "198.18.0.60").delayNanos());
        assertSame(first.lookupIpv4(ip("198.18.0.60")).counters(), second.lookupIpv4(ip("198.18.0.60")).counters());
    }
}
