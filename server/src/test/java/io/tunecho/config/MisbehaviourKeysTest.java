package io.tunecho.config;

import io.tunecho.hosts.Duplicates;
import io.tunecho.hosts.EchoIdFilter;
import io.tunecho.hosts.EchoIdentifier;
import io.tunecho.hosts.EchoSequence;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.LateReplies;
import io.tunecho.hosts.TtlChange;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The misbehaviour settings as a file writes them: their shapes, and a one-line error for each bad value. */
class MisbehaviourKeysTest {
    private static HostSettings profile(String settings) throws ConfigException {
        return ConfigLoader.load("profiles:\n  odd: " + settings + "\n", "lab.yaml", TunechoConfig.defaults())
                .profiles().get("odd");
    }

    private static String error(String yaml) {
        String m = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(yaml, "lab.yaml", TunechoConfig.defaults())).getMessage();
        assertTrue(!m.contains("\n"), "one line: " + m);
        return m;
    }

    @Test
    void readsEachShape() throws Exception {
        HostSettings s = profile("{ reply-from: 198.18.0.99, identifier: rewrite, sequence: stale, "
                + "late: { p: 10%, by: 3s }, ttl-change: { every: 10m, values: [64, 57] }, "
                + "echo-id-filter: { after: 60s }, duplicate: { p: 5%, count: 3 } }");
        assertEquals(IpCidr.parse("198.18.0.99"), s.get(HostSetting.REPLY_FROM));
        assertEquals(EchoIdentifier.REWRITE, s.get(HostSetting.IDENTIFIER));
        assertEquals(EchoSequence.STALE, s.get(HostSetting.SEQUENCE));
        assertEquals(new LateReplies(0.1, 3_000_000_000L), s.get(HostSetting.LATE));
        assertEquals(new TtlChange(600_000_000_000L, List.of(64, 57)), s.get(HostSetting.TTL_CHANGE));
        assertEquals(new EchoIdFilter(60_000_000_000L, EchoIdFilter.DEFAULT_IDLE_NANOS),
                s.get(HostSetting.ECHO_ID_FILTER), "idle: conntrack's 30 s by default");
        assertEquals(new Duplicates(0.05, 3), s.get(HostSetting.DUPLICATE));
        assertEquals("{p: 5%, count: 3}", s.describe().get("duplicate"));
        assertEquals(Duplicates.of(0.02), profile("{ duplicate: 2% }").get(HostSetting.DUPLICATE),
                "the plain probability: sent twice");
        assertEquals("2%", profile("{ duplicate: 2% }").describe().get("duplicate"));
    }

    @Test
    void badValuesAreOneLineErrorsNamingTheSetting() {
        assertTrue(error("profiles:\n  odd: { duplicate: { p: 5%, count: 1 } }\n")
                .contains("profiles.odd.duplicate.count"));
        assertTrue(error("profiles:\n  odd: { late: { p: 10% } }\n").contains("needs 'by'"));
        assertTrue(error("profiles:\n  odd: { late: { p: 10%, by: 0s } }\n").contains("must be longer than 0"));
        assertTrue(error("profiles:\n  odd: { ttl-change: { every: 1s, values: [64, 0] } }\n")
                .contains("profiles.odd.ttl-change.values"));
        assertTrue(error("profiles:\n  odd: { ttl-change: { every: 1s, values: [] } }\n")
                .contains("at least one TTL"));
        assertTrue(error("profiles:\n  odd: { echo-id-filter: { after: 1s, idle: 0s } }\n")
                .contains("profiles.odd.echo-id-filter.idle must be longer than 0"));
        assertTrue(error("profiles:\n  odd: { identifier: change }\n").contains("keep or rewrite"));
        assertTrue(error("profiles:\n  odd: { sequence: old }\n").contains("keep or stale"));
        assertTrue(error("profiles:\n  odd: { reply-from: 198.18.0.0/24 }\n").contains("not a single address"));
    }

    @Test
    void aHostsReplyFromIsOfItsOwnIpVersion() {
        String m = error("hosts:\n  - { match: 198.18.0.10, reply-from: 'fd00::99' }\n");
        assertTrue(m.contains("hosts[0].reply-from: fd00::99 is not an IPv4 address"), m);
    }

    @Test
    void aHostsTimelineStepsReplyFromIsOfItsOwnIpVersion() {
        String m = error("hosts:\n  - match: 198.18.0.10\n    timeline: { steps: [ { for: 1s }, "
                + "{ for: 1s, reply-from: 'fd00::99' } ] }\n");
        assertTrue(m.contains("hosts[0].timeline.steps[1].reply-from: fd00::99 is not an IPv4 address"), m);
    }
}
