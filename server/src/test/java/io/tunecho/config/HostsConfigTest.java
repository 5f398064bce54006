package io.tunecho.config;

import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.JitterDistribution;
import io.tunecho.hosts.LossModel;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** profiles, hosts, seed and max-delayed as the YAML gives them, and every error with its file and line. */
class HostsConfigTest {
    /** The example, as users will write it. */
    static final String EXAMPLE = String.join("\n",
            "profiles:",
            "  default: { ttl: 64 }",
            "  far-away: { delay: 120ms, jitter: 10ms }",
            "  flaky-windows: { ttl: 128, loss: 20% }",
            "  bursty: { loss: { p: 2%, r: 40% } }",
            "hosts:",
            "  - { match: 198.18.0.10, profile: far-away }",
            "  - { match: 198.18.0.64/27, profile: flaky-windows }",
            "  - { match: 198.18.0.99, state: down }",
            "  - match: 198.18.0.50",
            "    timeline:",
            "      repeat: true",
            "      steps:",
            "        - { for: 4s, state: up }",
            "        - { for: 2s, state: down }",
            "        - { for: 4s, delay: 300ms }",
            "seed: 42",
            "");

    private static TunechoConfig load(String yaml) throws ConfigException {
        TunechoConfig c = ConfigLoader.load(yaml, "lab.yaml", TunechoConfig.defaults());
        c.validate();
        return c;
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void theExample() throws Exception {
        TunechoConfig c = load(EXAMPLE);
        assertEquals(4, c.profiles().size());
        HostSettings far = c.profiles().get("far-away");
        assertEquals(120_000_000L, far.get(HostSetting.DELAY));
        assertEquals(10_000_000L, far.get(HostSetting.JITTER));
        assertNull(far.get(HostSetting.TTL));
        assertEquals(LossModel.independent(0.2), c.profiles().get("flaky-windows").get(HostSetting.LOSS));
        assertEquals(LossModel.bursts(0.02, 0.4), c.profiles().get("bursty").get(HostSetting.LOSS));
        List<HostSpec> hosts = c.hosts();
        assertEquals(4, hosts.size());
        assertEquals(IpCidr.parse("198.18.0.64/27"), hosts.get(1).match());
        assertEquals("flaky-windows", hosts.get(1).profile());
        assertEquals(HostState.DOWN, hosts.get(2).settings().get(HostSetting.STATE));
        assertEquals("lab.yaml:9", hosts.get(2).source());
        assertEquals(3, hosts.get(3).settings().get(HostSetting.TIMELINE).steps().size());
        assertTrue(hosts.get(3).settings().get(HostSetting.TIMELINE).repeat());
        assertEquals(10_000_000_000L, hosts.get(3).settings().get(HostSetting.TIMELINE).periodNanos());
        assertEquals(42L, c.seed());
        assertEquals(10_000, c.maxDelayed());
    }

    @Test
    void everySettingParses() throws Exception {
        TunechoConfig c = load("profiles:\n  all: { state: unreachable, gateway: 198.18.0.253, ttl: 255, delay: 250us,"
                + " jitter: 1.5ms, distribution: pareto, reorder: true, loss: 0.05, duplicate: 1%, corrupt: 0.5%,"
                + " rate: 10/s }\nhosts:\n  - { match: 198.18.0.0/25, profile: all, stagger: 1s }\nmax-delayed: 99\n");
        HostSettings s = c.profiles().get("all");
        assertEquals(HostState.UNREACHABLE, s.get(HostSetting.STATE));
        assertEquals(IpCidr.parse("198.18.0.253"), s.get(HostSetting.GATEWAY));
        assertEquals(255, s.get(HostSetting.TTL));
        assertEquals(250_000L, s.get(HostSetting.DELAY));
        assertEquals(1_500_000L, s.get(HostSetting.JITTER));
        assertEquals(JitterDistribution.PARETO, s.get(HostSetting.DISTRIBUTION));
        assertTrue(s.get(HostSetting.REORDER));
        assertEquals(0.05, s.get(HostSetting.LOSS).p(), 1e-12);
        assertEquals(0.01, s.get(HostSetting.DUPLICATE).p(), 1e-12);
        assertEquals(0.005, s.get(HostSetting.CORRUPT), 1e-12);
        assertEquals(10.0, s.get(HostSetting.RATE));
        assertEquals(1_000_000_000L, c.hosts().get(0).staggerNanos());
        assertEquals(99, c.maxDelayed());
    }

    @Test
    void anUndefinedProfileNamesTheLine() {
        assertEquals("lab.yaml:4: hosts: profile 'far' is not defined (profiles: default, slow)",
                error("profiles:\n  slow: { delay: 1s }\nhosts:\n  - { match: 198.18.0.9, profile: far }\n"));
    }

    @Test
    void anUnknownSettingNamesTheLineAndTheKnownOnes() {
        String m = error("profiles:\n  slow:\n    dealy: 1s\n");
        assertTrue(m.startsWith("lab.yaml:3: unknown key 'dealy' in profiles.slow (known keys: state, ttl, delay"), m);
        m = error("hosts:\n  - match: 198.18.0.9\n    profil: x\n");
        assertTrue(m.startsWith("lab.yaml:3: unknown key 'profil' in hosts[0]"), m);
    }

    @Test
    void valuesOutOfRange() {
        assertTrue(error("profiles:\n  a: { ttl: 0 }\n").startsWith("lab.yaml:2: profiles.a.ttl 0 is out of range; "
                + "give 1..255"), error("profiles:\n  a: { ttl: 0 }\n"));
        assertTrue(error("profiles:\n  a: { loss: 120% }\n").contains("profiles.a.loss '120%' is out of range"));
        assertTrue(error("profiles:\n  a: { delay: 10 }\n").contains("profiles.a.delay '10' is not a duration"));
        assertTrue(error("profiles:\n  a: { delay: 10 parsecs }\n").contains("unknown unit 'parsecs'"));
        assertTrue(error("profiles:\n  a: { state: asleep }\n").contains("give up, down or unreachable"));
        assertTrue(error("profiles:\n  a: { rate: -1 }\n").contains("profiles.a.rate '-1' is out of range"));
        assertTrue(error("profiles:\n  a: { loss: { p: 10% } }\n").contains("profiles.a.loss needs 'r'"));
        assertTrue(error("hosts:\n  - { profile: a }\n").contains("hosts[0] needs 'match'"));
        assertTrue(error("hosts:\n  - { match: 198.18.0.9, stagger: 1s }\n").contains("single address"));
        assertTrue(error("hosts:\n  - { match: 198.18.0.9, timeline: { steps: [] } }\n")
                .contains("hosts[0].timeline.steps must be a list of steps"));
        assertTrue(error("hosts:\n  - { match: 198.18.0.9, timeline: { steps: [ { state: down } ] } }\n")
                .contains("hosts[0].timeline.steps[0] needs 'for'"));
        assertTrue(error("hosts: { match: 198.18.0.9 }\n").contains("hosts must be a list"));
    }

    @Test
    void aTimelineStepCannotNestATimeline() {
        String m = error("hosts:\n  - match: 198.18.0.9\n    timeline:\n      steps:\n"
                + "        - { for: 1s, timeline: { steps: [ { for: 1s } ] } }\n");
        assertTrue(m.contains("unknown key 'timeline' in hosts[0].timeline.steps[0]"), m);
    }

    @Test
    void theLabExampleLoadsAndBuilds() throws Exception {
        TunechoConfig c = ConfigLoader.load(Path.of("config/lab.yaml"), TunechoConfig.defaults());
        c.validate();
        assertTrue(c.hosts().size() >= 5, c.hosts().toString());
        io.tunecho.hosts.HostTable t = io.tunecho.hosts.HostTable.build(c.hostConfig(), null,
                io.tunecho.hosts.Clock.SYSTEM);
        assertTrue(t.entries().size() >= c.hosts().size());
    }
}
