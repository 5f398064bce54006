package io.tunecho.config;

import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.HopChoice;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.Hop;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hops} with choices and {@code rate} with 0 and none, as a file or an admin API request writes them. */
class HopsAndRateTest {
    private static HostSettings read(String body) throws ConfigException {
        return HostKeys.readSettings(YamlTree.parse(body, "lab.yaml"), "hosts[0]", List.of("match"));
    }

    private static String error(String body) {
        return assertThrows(ConfigException.class, () -> read(body)).getMessage();
    }

    private static Hop choice(HopChoice by, String... routers) {
        return new Hop(List.of(routers).stream().map(IpCidr::parse).toList(), by);
    }

    @Test
    void aHopIsAnAddressOrAChoice() throws Exception {
        HostSettings s = read("{hops: [198.18.1.1, {any: [198.18.2.1, 198.18.2.2], by: flow}, "
                + "{any: [198.18.3.1, 198.18.3.2, 198.18.3.3], by: packet}, {any: [198.18.4.1, 198.18.4.2], "
                + "by: destination}, {any: [198.18.5.1, 198.18.5.2]}]}");
        assertEquals(List.of(Hop.of(IpCidr.parse("198.18.1.1")), choice(HopChoice.FLOW, "198.18.2.1", "198.18.2.2"),
                choice(HopChoice.PACKET, "198.18.3.1", "198.18.3.2", "198.18.3.3"),
                choice(HopChoice.DESTINATION, "198.18.4.1", "198.18.4.2"),
                choice(HopChoice.FLOW, "198.18.5.1", "198.18.5.2")), s.get(HostSetting.HOPS), "by: flow when left out");
        assertEquals(List.of(Hop.of(IpCidr.parse("fd00:1::1")), choice(HopChoice.FLOW, "fd00:2::1", "fd00:2::2")),
                read("{hops: ['fd00:1::1', {any: ['fd00:2::1', 'fd00:2::2']}]}").get(HostSetting.HOPS));
    }

    @Test
    void aSingleHopNeedsNoList() throws Exception {
        assertEquals(List.of(Hop.of(IpCidr.parse("198.18.1.1"))), read("{hops: 198.18.1.1}").get(HostSetting.HOPS));
        assertEquals(List.of(choice(HopChoice.PACKET, "198.18.1.1", "198.18.1.2")),
                read("{hops: {any: [198.18.1.1, 198.18.1.2], by: packet}}").get(HostSetting.HOPS));
        assertEquals(List.of(Hop.of(IpCidr.parse("198.18.1.1"))),
                read("{hops: [{any: [198.18.1.1], by: packet}]}").get(HostSetting.HOPS),
                "a choice of one router is that router");
    }

    @Test
    void hopsAreWrittenAsTheFileWritesThemAndReadBackTheSame() throws Exception {
        String text = "[198.18.1.1, {any: [198.18.2.1, 198.18.2.2], by: flow}, {any: [198.18.3.1, 198.18.3.2], "
                + "by: destination}, 198.18.4.1]";
        HostSettings s = read("{hops: " + text + "}");
        assertEquals(text, s.describe().get("hops"));
        assertEquals(s, read("{hops: " + s.describe().get("hops") + "}"));
    }

    @Test
    void badHopsSayWhatIsWrongOnOneLine() {
        String m = error("{hops: [198.18.1.1, {any: [], by: flow}]}");
        assertTrue(m.contains("hosts[0].hops[1].any must be a list of one or more router addresses"), m);
        m = error("{hops: [{any: [198.18.2.1, 198.18.2.2], by: hash}]}");
        assertTrue(m.contains("hosts[0].hops[0].by 'hash' is not valid; give flow, packet or destination"), m);
        m = error("{hops: [{any: [198.18.2.1], via: flow}]}");
        assertTrue(m.contains("unknown key 'via' in hosts[0].hops[0] (known keys: any, by)"), m);
        m = error("{hops: [{by: flow}]}");
        assertTrue(m.contains("hosts[0].hops[0] needs 'any'"), m);
        m = error("{hops: [router-1]}");
        assertTrue(m.contains("hosts[0].hops[0] 'router-1' is not an IPv4 address"), m);
        m = error("{hops: [{any: [198.18.2.0/24]}]}");
        assertTrue(m.contains("hosts[0].hops[0].any[0]") && m.contains("not a single address"), m);
        m = error("{hops: [{any: [198.18.2.1, 198.18.2.1]}]}");
        assertTrue(m.contains("hosts[0].hops[0].any lists 198.18.2.1 twice"), m);
        m = error("{hops: [[198.18.2.1]]}");
        assertTrue(m.contains("hosts[0].hops[0] must be an address or {any: [ADDRESS, ...]"), m);
        for (String bad : List.of("{hops: [198.18.1.1, {any: [], by: flow}]}", "{hops: [{any: [198.18.2.1], x: 1}]}",
                "{hops: [[198.18.2.1]]}")) {
            assertFalse(error(bad).contains("\n"), "one line: " + error(bad));
        }
    }

    @Test
    void rateZeroAnswersNothingAndNoneLiftsALimit() throws Exception {
        HostSettings zero = read("{rate: 0}");
        assertEquals(0.0, zero.get(HostSetting.RATE));
        assertEquals("0", zero.describe().get("rate"));
        Behaviour silent = new Behaviour(HostSettings.BUILT_IN.overriddenBy(zero));
        assertTrue(silent.limitsRate());
        HostSettings none = read("{rate: none}");
        assertEquals(Double.POSITIVE_INFINITY, none.get(HostSetting.RATE));
        assertEquals("none", none.describe().get("rate"));
        Behaviour lifted = new Behaviour(HostSettings.BUILT_IN.overriddenBy(read("{rate: 10}")).overriddenBy(none));
        assertFalse(lifted.limitsRate(), "none over a layer's 10/s: no limit");
        assertFalse(new Behaviour(HostSettings.BUILT_IN).limitsRate(), "unset: no limit");
        assertEquals(2.5, read("{rate: 2.5/s}").get(HostSetting.RATE));
        assertTrue(error("{rate: -1}").contains("hosts[0].rate '-1' is out of range; give replies per second such "
                + "as 10 or 0.5, 0 (answers nothing) or none (no limit)"), error("{rate: -1}"));
        assertTrue(error("{rate: fast}").contains("hosts[0].rate 'fast' is not a rate"), error("{rate: fast}"));
    }
}
