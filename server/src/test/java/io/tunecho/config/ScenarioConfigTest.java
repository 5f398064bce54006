package io.tunecho.config;

import io.tunecho.config.ScenarioSpec.Expectation;
import io.tunecho.config.ScenarioSpec.Kind;
import io.tunecho.config.ScenarioSpec.Step;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.LossModel;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code scenario:} section and {@code --scenario FILE}: read, checked, and documented. */
class ScenarioConfigTest {
    /** The issue's example, as a user would write it. */
    static final String EXAMPLE = String.join("\n",
            "scenario:",
            "  name: core-switch-outage",
            "  steps:",
            "    - at: 30s",
            "      match: 198.18.0.30",
            "      state: down",
            "      for: 2m",
            "      expect:",
            "        alert: 90s",
            "        resolve: 120s",
            "    - at: 1m",
            "      match: 198.18.0.80/28",
            "      loss: 5%",
            "      for: 3m",
            "      expect:",
            "        no-alert: 1m",
            "    - at: 0s",
            "      match: 198.18.0.0/26",
            "      expect:",
            "        probed: 30s",
            "      for: 5m",
            "  end: 6m",
            "  report: /tmp/drill.xml",
            "  exit: true",
            "");

    private static TunechoConfig load(String yaml) throws ConfigException {
        TunechoConfig c = ConfigLoader.load(yaml, "test.yaml", TunechoConfig.defaults());
        c.validate();
        return c;
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    /** A scenario of the given steps (each line already indented as a list item under steps:). */
    private static String steps(String... lines) {
        return "scenario:\n  steps:\n" + String.join("\n", lines) + "\n";
    }

    @Test
    void theIssuesExample() throws Exception {
        ScenarioSpec s = load(EXAMPLE).scenario();
        assertEquals("core-switch-outage", s.name());
        assertEquals(3, s.steps().size());
        Step outage = s.steps().get(0);
        assertEquals(1, outage.number());
        assertEquals(30_000_000_000L, outage.atNanos());
        assertEquals("198.18.0.30", outage.match());
        assertEquals(IpCidr.parse("198.18.0.30/32"), outage.prefix());
        assertEquals(HostState.DOWN, outage.settings().get(HostSetting.STATE));
        assertEquals(120_000_000_000L, outage.forNanos());
        assertEquals(List.of(new Expectation(Kind.ALERT, 90_000_000_000L),
                new Expectation(Kind.RESOLVE, 120_000_000_000L)), outage.expect());
        assertEquals("test.yaml:4", outage.source());
        assertEquals("step 1 198.18.0.30", outage.label());
        assertEquals("alert 90s", outage.expect().get(0).toString());
        Step loss = s.steps().get(1);
        assertEquals(LossModel.independent(0.05), loss.settings().get(HostSetting.LOSS));
        assertEquals("198.18.0.80/28", loss.match());
        assertEquals("no-alert 60s", loss.expect().get(0).toString());
        Step probed = s.steps().get(2);
        assertFalse(probed.setsHosts());
        assertEquals(List.of(new Expectation(Kind.PROBED, 30_000_000_000L)), probed.expect());
        assertEquals(360_000_000_000L, s.endNanos());
        assertEquals(Path.of("/tmp/drill.xml"), s.report());
        assertEquals(Path.of("/tmp/drill.json"), s.jsonReport());
        assertTrue(s.exit());
        assertEquals(4, s.expectations());
    }

    @Test
    void defaults() throws Exception {
        assertNull(TunechoConfig.defaults().scenario());
        assertNull(load("scenario:\n").scenario());
        ScenarioSpec s = load(steps("    - { at: 1s, match: 198.18.0.9, state: down }")).scenario();
        assertEquals("scenario", s.name());
        assertNull(s.endNanos());
        assertNull(s.report());
        assertNull(s.jsonReport());
        assertFalse(s.exit());
        assertNull(s.steps().get(0).forNanos());
        assertEquals(Long.MAX_VALUE, s.steps().get(0).endNanos());
        assertEquals(Path.of("/tmp/r.json"), new ScenarioSpec("x", List.of(), null, Path.of("/tmp/r"), false, "")
                .jsonReport());
    }

    @Test
    void noAlertTrueLastsWhileTheStep() throws Exception {
        Step s = load(steps("    - { at: 0s, match: 198.18.0.9, for: 10s, expect: { no-alert: true } }"))
                .scenario().steps().get(0);
        assertEquals(new Expectation(Kind.NO_ALERT, 0), s.expect().get(0));
        assertEquals("no-alert true", s.expect().get(0).toString());
    }

    @Test
    void aProfileMatchesEveryEntryThatUsesIt() throws Exception {
        TunechoConfig c = load("profiles: { web: { ttl: 128 } }\n"
                + "hosts:\n  - { match: 198.18.0.10, profile: web }\n  - { match: 198.18.0.64/28, profile: web }\n"
                + "  - { match: 198.18.0.99 }\n"
                + steps("    - { at: 0s, match: web, for: 5s, state: down }"));
        Step s = c.scenario().steps().get(0);
        assertNull(s.prefix());
        assertEquals(List.of(IpCidr.parse("198.18.0.10/32"), IpCidr.parse("198.18.0.64/28")), s.prefixes(c.hosts()));
        assertEquals("test.yaml:7: scenario.steps[0].match 'nothing' is not an address, a CIDR or a profile that hosts "
                        + "entries use (profiles of hosts entries: web, default)",
                error("profiles: { web: { ttl: 128 } }\n"
                        + "hosts:\n  - { match: 198.18.0.10, profile: web }\n  - { match: 198.18.0.99 }\n"
                        + steps("    - { at: 0s, match: nothing, for: 5s, state: down }")));
    }

    @Test
    void aScenarioFileAtItsTopLevelOrUnderScenario(@TempDir Path dir) throws Exception {
        Path top = dir.resolve("top.yaml");
        Files.writeString(top, "name: top\nsteps:\n  - { at: 2s, match: 198.18.0.5, state: down, for: 1s }\n");
        Path under = dir.resolve("under.yaml");
        Files.writeString(under, "scenario:\n  name: under\n  steps:\n    - { at: 2s, match: 198.18.0.5, "
                + "expect: { alert: 5s } }\n");
        assertEquals("top", CommandLine.parse("--scenario", top.toString()).config().scenario().name());
        assertEquals(top + ":3", CommandLine.parse("--scenario", top.toString()).config().scenario().steps().get(0)
                .source());
        assertEquals("under", CommandLine.parse("--scenario=" + under).config().scenario().name());
        // it replaces the config file's scenario
        Path config = dir.resolve("tunecho.yaml");
        Files.writeString(config, EXAMPLE);
        assertEquals("top", CommandLine.parse("--config", config.toString(), "--scenario", top.toString()).config()
                .scenario().name());
        assertEquals("core-switch-outage", CommandLine.parse("--config", config.toString()).config().scenario()
                .name());
    }

    @Test
    void scenarioFileErrorsNameTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.yaml");
        assertEquals("cannot read scenario " + missing + ": no such file",
                assertThrows(ConfigException.class, () -> CommandLine.parse("--scenario", missing.toString()))
                        .getMessage());
        Path mixed = dir.resolve("mixed.yaml");
        Files.writeString(mixed, "scenario:\n  steps: []\nhosts: []\n");
        assertEquals(mixed + ":3: unknown key 'hosts' beside scenario (a scenario file holds the scenario's keys, or "
                        + "a scenario: key alone)",
                assertThrows(ConfigException.class, () -> CommandLine.parse("--scenario", mixed.toString()))
                        .getMessage());
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "steps:\n  - { at: soon, match: 198.18.0.5, state: down }\n");
        assertEquals(bad + ":2: scenario.steps[0].at 'soon' is not a duration; write a number and a unit, such as "
                        + "250us, 20ms, 1.5s or 2m",
                assertThrows(ConfigException.class, () -> CommandLine.parse("--scenario", bad.toString()))
                        .getMessage());
        assertTrue(CommandLine.usage().contains("--scenario FILE"));
        assertTrue(CommandLine.usage().contains("3 a scenario with exit: true ended with a failed expectation"));
    }

    @Test
    void unknownKeys() {
        assertEquals("test.yaml:1: unknown key 'stop' in scenario (known keys: name, steps, end, report, exit)",
                error("scenario: { stop: 5m, steps: [ { at: 0s, match: 198.18.0.9, state: down } ] }\n"));
        assertTrue(error(steps("    - { at: 0s, match: 198.18.0.9, stat: down }"))
                .startsWith("test.yaml:3: unknown key 'stat' in scenario.steps[0] (known keys: at, match, for, "
                        + "expect, state, ttl, delay,"));
        assertEquals("test.yaml:3: unknown key 'alerts' in scenario.steps[0].expect (known keys: alert, resolve, "
                        + "no-alert, probed)",
                error(steps("    - { at: 0s, match: 198.18.0.9, expect: { alerts: 5s } }")));
    }

    @Test
    void badValuesReadAsInAHostsEntry() {
        assertEquals("test.yaml:3: scenario.steps[0].for '2 minutes' has an unknown unit 'minutes'; use ns, us, ms, "
                + "s, m or h", error(steps("    - { at: 0s, match: 198.18.0.9, state: down, for: 2 minutes }")));
        assertEquals("test.yaml:3: scenario.steps[0].expect.alert must be longer than 0",
                error(steps("    - { at: 0s, match: 198.18.0.9, expect: { alert: 0s } }")));
        // the same words as for a hosts entry's setting
        String host = error("hosts:\n  - { match: 198.18.0.9, state: sideways }\n");
        String step = error(steps("    - { at: 0s, match: 198.18.0.9, state: sideways }"));
        assertEquals(host.replace("test.yaml:2: hosts[0]", ""), step.replace("test.yaml:3: scenario.steps[0]", ""));
        assertEquals("test.yaml:3: scenario.steps[0].match '198.18.0.300' is not an IPv4 address: 300 > 255",
                error(steps("    - { at: 0s, match: 198.18.0.300, state: down }")));
        assertTrue(error("scenario: { steps: [] }\n").startsWith("test.yaml:1: scenario.steps must be a list of "
                + "steps"), error("scenario: { steps: [] }\n"));
        assertTrue(error(steps("    - { match: 198.18.0.9, state: down }"))
                .startsWith("test.yaml:3: scenario.steps[0] needs 'at'"));
        assertTrue(error(steps("    - { at: 0s, state: down }"))
                .startsWith("test.yaml:3: scenario.steps[0] needs 'match'"));
        assertTrue(error(steps("    - { at: 0s, match: 198.18.0.9, for: 9s, expect: { no-alert: false } }"))
                .startsWith("test.yaml:3: scenario.steps[0].expect.no-alert false means nothing"));
    }

    @Test
    void contradictions() {
        assertEquals("test.yaml:3: scenario.steps[0].expect.resolve needs an alert expectation in the same step (the "
                        + "alerts that fire for the step are those that must resolve): add alert: DURATION",
                error(steps("    - { at: 0s, match: 198.18.0.9, state: down, for: 9s, expect: { resolve: 9s } }")));
        assertEquals("test.yaml:3: scenario.steps[0] does nothing: give it host settings (state: down, delay: 200ms, "
                        + "loss: 5%, ...) or expectations (expect: {alert: 90s, ...})",
                error(steps("    - { at: 0s, match: 198.18.0.9, for: 9s }")));
        assertEquals("test.yaml:3: scenario.steps[0].expect.probed needs the step to end: give the step a 'for' "
                        + "(addresses are watched while the step lasts)",
                error(steps("    - { at: 0s, match: 198.18.0.9, expect: { probed: 2s } }")));
        assertTrue(error(steps("    - { at: 0s, match: 198.18.0.9, state: down, expect: { alert: 5s, resolve: 5s } }"))
                .startsWith("test.yaml:3: scenario.steps[0].expect.resolve needs the step to end"));
        assertTrue(error(steps("    - { at: 0s, match: 198.18.0.9, expect: { no-alert: true } }"))
                .startsWith("test.yaml:3: scenario.steps[0].expect.no-alert needs the step to end"));
        assertTrue(error(steps("    - { at: 0s, match: 198.18.0.9, for: 5s, expect: { alert: 5s, no-alert: 5s } }"))
                .startsWith("test.yaml:3: scenario.steps[0].expect expects an alert and no alert at once"));
        assertEquals("test.yaml:3: scenario.steps[0].match 198.18.0.1 is the interface's own address (the kernel "
                + "answers it, not tunecho): give a host's address",
                error(steps("    - { at: 0s, match: 198.18.0.1, state: down }")));
        assertTrue(error(steps("    - { at: 0s, match: 'fd00::5', state: down }"))
                .contains("is IPv6: give the interface an IPv6 address too"));
        assertTrue(error(steps("    - { at: 0s, match: 10.0.0.0/8, for: 9s, expect: { probed: 2s } }"))
                .contains("holds more than 65536 addresses, too many for probed"));
    }

    @Test
    void theEndComesAfterEveryStepStartsAndEveryFixedWindowCloses() {
        assertEquals("test.yaml:3: scenario.steps[0] starts at 10s, not before end 10s (test.yaml:4): make end later "
                + "or the step earlier",
                error(steps("    - { at: 10s, match: 198.18.0.9, state: down }") + "  end: 10s\n"));
        assertEquals("test.yaml:3: scenario.steps[0]'s no-alert 5s is decided at 15s, after end 12s (test.yaml:4): "
                        + "make end later or the step shorter",
                error(steps("    - { at: 0s, match: 198.18.0.9, for: 10s, expect: { no-alert: 5s } }")
                        + "  end: 12s\n"));
    }

    @Test
    void twoStepsThatSetTheSameAddressAtTheSameTime() throws Exception {
        assertEquals("test.yaml:3: scenario step 1 (198.18.0.30, 30s..150s) and test.yaml:4: step 2 "
                        + "(198.18.0.0/26, 60s..the end) both set 198.18.0.30 at the same time: give them different "
                        + "times or addresses",
                error(steps("    - { at: 30s, match: 198.18.0.30, state: down, for: 2m }",
                        "    - { at: 1m, match: 198.18.0.0/26, delay: 100ms }")));
        // one after the other, on other addresses, or only watching: fine
        load(steps("    - { at: 30s, match: 198.18.0.30, state: down, for: 2m }",
                "    - { at: 150s, match: 198.18.0.0/26, delay: 100ms }",
                "    - { at: 30s, match: 198.18.0.64/26, delay: 100ms }",
                "    - { at: 30s, match: 198.18.0.30, for: 1m, expect: { probed: 5s } }"));
    }

    @Test
    void everyScenarioKeyIsDocumented() throws Exception {
        String text = Files.readString(Path.of("config/tunecho.yaml"));
        for (String key : List.of("name", "steps", "end", "report", "exit")) {
            assertTrue(text.contains("\n#   " + key + ":"), "config/tunecho.yaml does not document scenario." + key);
        }
        for (String key : List.of("at", "match", "for", "expect")) {
            assertTrue(text.matches("(?s).*\n#     (- |  )" + key + ":.*"), "config/tunecho.yaml does not document "
                    + "a step's " + key);
        }
        for (Kind kind : Kind.values()) {
            assertTrue(text.contains("\n#         " + kind.key() + ":"), "config/tunecho.yaml does not document "
                    + kind.key());
        }
        // the commented example in the file is valid, and the issue's example
        String example = text.substring(text.indexOf("#   scenario:\n"));
        example = example.substring(0, example.indexOf("\n# scenario:")).replaceAll("(?m)^#   ", "");
        ScenarioSpec s = load(example).scenario();
        assertEquals(load(EXAMPLE).scenario().steps().size(), s.steps().size());
    }
}
