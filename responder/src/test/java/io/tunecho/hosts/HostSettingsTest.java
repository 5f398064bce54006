package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostSettingsTest {
    @Test
    void everySettingHasItsOwnKeyAndPlace() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < HostSetting.ALL.size(); i++) {
            HostSetting<?> s = HostSetting.ALL.get(i);
            assertTrue(keys.add(s.key()), "twice: " + s.key());
            assertEquals(i, s.index(), s.key());
        }
    }

    @Test
    void theBuiltInDefaultsAreLinuxs() {
        HostSettings d = HostSettings.BUILT_IN;
        assertEquals(Map.of("state", "up", "ttl", "64", "delay", "0s", "jitter", "0s", "distribution", "normal",
                "reorder", "false", "loss", "0%", "duplicate", "0%", "corrupt", "0%", "rate", "none"),
                Map.copyOf(withoutTcp(d.describe())));
        assertEquals(PortSet.NONE, d.get(HostSetting.TCP));
        assertNull(d.get(HostSetting.GATEWAY), "the table's default gateway");
        assertNull(d.get(HostSetting.HOPS), "on the link");
        assertNull(d.get(HostSetting.TIMELINE));
        Behaviour b = new Behaviour(d);
        assertEquals(64, b.ttl());
        assertEquals(0, b.hops().length);
        assertTrue(!b.mayRefuse() && !b.shapesReplies(), "answers at once, loses nothing");
    }

    private static Map<String, String> withoutTcp(Map<String, String> m) {
        assertEquals("{open: []}", m.remove("tcp"));
        return m;
    }

    @Test
    void aLayerReplacesWhatItSetsAndKeepsTheRest() {
        HostSettings profile = HostSettings.builder().set(HostSetting.TTL, 128).set(HostSetting.DELAY, 5_000_000L)
                .build();
        HostSettings own = HostSettings.of(HostSetting.DELAY, 20_000_000L);
        HostSettings layered = HostSettings.BUILT_IN.overriddenBy(profile).overriddenBy(own);
        assertEquals(128, layered.get(HostSetting.TTL));
        assertEquals(20_000_000L, layered.get(HostSetting.DELAY));
        assertEquals(LossModel.NONE, layered.get(HostSetting.LOSS));
        assertSame(layered, layered.overriddenBy(HostSettings.EMPTY));
        assertEquals(Map.of("ttl", "128", "delay", "5ms"), profile.describe(), "layering leaves its parts as they were");
    }

    @Test
    void describeWritesEachValueAsTheConfigFileDoes() {
        HostSettings s = HostSettings.builder()
                .set(HostSetting.STATE, HostState.UNREACHABLE)
                .set(HostSetting.JITTER, 1_500_000L)
                .set(HostSetting.LOSS, LossModel.bursts(0.02, 0.4))
                .set(HostSetting.DUPLICATE, Duplicates.of(0.005))
                .set(HostSetting.RATE, 0.5)
                .set(HostSetting.GATEWAY, IpCidr.parse("198.18.0.253"))
                .set(HostSetting.HOPS, List.of(Hop.of(IpCidr.parse("198.18.71.1")),
                        Hop.of(IpCidr.parse("198.18.71.2"))))
                .set(HostSetting.TCP, PortSet.of(22, 80))
                .build();
        assertEquals("{state=unreachable, jitter=1.5ms, loss={p: 2%, r: 40%}, duplicate=0.5%, rate=0.5, "
                + "gateway=198.18.0.253, hops=[198.18.71.1, 198.18.71.2], tcp={open: [22, 80]}}", s.toString());
        assertEquals("10", HostSettings.of(HostSetting.RATE, 10.0).describe().get("rate"));
        assertEquals("0", HostSettings.of(HostSetting.RATE, 0.0).describe().get("rate"));
        assertEquals("none", HostSettings.of(HostSetting.RATE, Double.POSITIVE_INFINITY).describe().get("rate"));
        List<Hop> choice = List.of(Hop.of(IpCidr.parse("198.18.71.1")),
                new Hop(List.of(IpCidr.parse("198.18.72.1"), IpCidr.parse("198.18.72.2")), HopChoice.PACKET));
        assertEquals("[198.18.71.1, {any: [198.18.72.1, 198.18.72.2], by: packet}]",
                HostSettings.of(HostSetting.HOPS, choice).describe().get("hops"));
    }

    @Test
    void settingsAreImmutableAndEqualByValue() {
        List<Hop> hops = new ArrayList<>(List.of(Hop.of(IpCidr.parse("198.18.71.1"))));
        HostSettings.Builder b = HostSettings.builder().set(HostSetting.HOPS, hops);
        HostSettings s = b.build();
        hops.add(Hop.of(IpCidr.parse("198.18.71.2")));
        b.set(HostSetting.TTL, 1);
        assertEquals(HostSettings.of(HostSetting.HOPS, List.of(Hop.of(IpCidr.parse("198.18.71.1")))), s);
        assertEquals(HostSettings.of(HostSetting.HOPS, List.of(Hop.of(IpCidr.parse("198.18.71.1")))).hashCode(),
                s.hashCode());
        assertNotEquals(s, b.build());
        assertEquals(s, b.set(HostSetting.TTL, null).build(), "null unsets");
    }
}
