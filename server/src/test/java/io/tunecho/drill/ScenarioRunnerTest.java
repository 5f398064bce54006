package io.tunecho.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunecho.hosts.HostState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tunecho.drill.AlertNotice.Status.FIRING;
import static io.tunecho.drill.AlertNotice.Status.RESOLVED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of expectation, decided at the right moment with the right figure, on a clock the test moves. */
class ScenarioRunnerTest {
    private static final String OUTAGE = String.join("\n",
            "scenario:",
            "  name: outage",
            "  steps:",
            "    - at: 30s",
            "      match: 198.18.0.30",
            "      state: down",
            "      for: 2m",
            "      expect: { alert: 90s, resolve: 120s }",
            "");
    private static final String LOSS = String.join("\n",
            "scenario:",
            "  name: loss",
            "  steps:",
            "    - { at: 1m, match: 198.18.0.80/28, loss: 5%, for: 3m, expect: { no-alert: 1m } }",
            "");

    private static Check check(ScenarioFixture f, int step, int index) {
        return f.runner.steps().get(step - 1).checks.get(index);
    }

    private static void assertDecided(Check c, Verdict verdict, Long measuredMillis, long decidedAfterMillis,
            ScenarioFixture f) {
        assertEquals(verdict, c.verdict(), c.message());
        assertEquals(measuredMillis, c.measuredMillis(), c.message());
        assertEquals(f.start + decidedAfterMillis, c.decidedMillis(), c.message());
    }

    @Test
    void aStepPutsItsSettingsInForceForItsDurationAndTheEventsSaySo() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(OUTAGE)) {
            f.runTo(29_900);
            assertEquals(HostState.UP, f.state("198.18.0.30"));
            assertEquals("pending", f.runner.status().get("steps").get(0).get("state").asText());
            f.at(30_000);
            assertEquals(HostState.DOWN, f.state("198.18.0.30"));
            assertEquals("active", f.runner.status().get("steps").get(0).get("state").asText());
            f.runTo(149_900);
            assertEquals(HostState.DOWN, f.state("198.18.0.30"));
            f.at(150_000);
            assertEquals(HostState.UP, f.state("198.18.0.30"));
            assertEquals("done", f.runner.status().get("steps").get(0).get("state").asText());
            assertEquals(List.of("scenario 198.18.0.30/32: scenario outage step 1 starts: added: profile default, "
                    + "state: down", "scenario 198.18.0.30/32: scenario outage step 1 ends: removed"), f.events());
        }
    }

    @Test
    void anAlertAt40sPassesAlert90sAt40s() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(OUTAGE)) {
            f.runTo(70_000);
            assertEquals(Verdict.PENDING, check(f, 1, 0).verdict());
            f.alert(FIRING, "HostDown", "198.18.0.31"); // another host: not this step's
            assertEquals(Verdict.PENDING, check(f, 1, 0).verdict());
            f.alert(FIRING, "HostDown", "198.18.0.30");
            assertDecided(check(f, 1, 0), Verdict.PASSED, 40_000L, 70_000, f);
            assertEquals("HostDown fired 40.0 s after the step started", check(f, 1, 0).message());
        }
    }

    @Test
    void noAlertBy90sFailsAt90s() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(OUTAGE)) {
            f.runTo(120_000);
            assertEquals(Verdict.PENDING, check(f, 1, 0).verdict(), "90 s is still within the limit");
            f.at(120_100);
            assertDecided(check(f, 1, 0), Verdict.FAILED, null, 120_100, f);
            assertEquals("no alert concerning 198.18.0.30 fired within 90s of the step's start",
                    check(f, 1, 0).message());
            // the resolve expectation has nothing to wait for: it fails at once, and says why
            assertDecided(check(f, 1, 1), Verdict.FAILED, null, 120_100, f);
            assertEquals("no alert fired for the step, so none could resolve", check(f, 1, 1).message());
            f.alert(FIRING, "HostDown", "198.18.0.30");
            assertEquals(Verdict.FAILED, check(f, 1, 0).verdict(), "decided once");
        }
    }

    @Test
    void resolvePassesWhenEveryAlertThatFiredResolvesWithinItsLimitOfTheStepsEnd() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(OUTAGE)) {
            f.runTo(45_000);
            f.alert(FIRING, "HostDown", "198.18.0.30");
            f.runTo(50_000);
            f.alert(FIRING, "PingLoss", "198.18.0.30");
            f.runTo(150_000); // the step ends
            assertEquals(Verdict.PENDING, check(f, 1, 1).verdict());
            f.runTo(170_000);
            f.alert(RESOLVED, "HostDown", "198.18.0.30");
            assertEquals(Verdict.PENDING, check(f, 1, 1).verdict(), "PingLoss still fires");
            f.runTo(181_500);
            f.alert(RESOLVED, "PingLoss", "198.18.0.30");
            assertDecided(check(f, 1, 1), Verdict.PASSED, 31_500L, 181_500, f);
            assertEquals("every alert resolved 31.5 s after the step ended", check(f, 1, 1).message());
            assertTrue(f.runner.finished().isDone(), "every expectation decided, every step ended");
            assertTrue(f.runner.finished().getNow(false));
        }
    }

    @Test
    void resolveFailsAtItsLimitAfterTheStepsEndWhileAnAlertStillFires() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(OUTAGE)) {
            f.runTo(45_000);
            f.alert(FIRING, "HostDown", "198.18.0.30");
            f.runTo(270_000);
            assertEquals(Verdict.PENDING, check(f, 1, 1).verdict(), "120 s after the end is within the limit");
            f.at(270_100);
            assertDecided(check(f, 1, 1), Verdict.FAILED, null, 270_100, f);
            assertEquals("still firing 120s after the step ended: HostDown [198.18.0.30]", check(f, 1, 1).message());
            assertFalse(f.runner.finished().getNow(true));
        }
    }

    @Test
    void anEndAtTheCloseOfTheLastWindowDecidesItFirstWhenTheTicksDrift() throws Exception {
        String yaml = String.join("\n",
                "scenario:",
                "  name: late-ticks",
                "  steps:",
                "    - { at: 30s, match: 198.18.0.80/28, loss: 5%, for: 90s, expect: { no-alert: 30s } }",
                "  end: 150s",
                "");
        try (ScenarioFixture f = new ScenarioFixture(yaml)) {
            // a fixed delay between ticks: each tick's own work makes the next one later, so the ticks drift
            for (long t = 0; t <= 151_000; t += ScenarioRunner.TICK_MILLIS + 1) {
                f.at(t);
            }
            assertEquals(Verdict.PASSED, check(f, 1, 0).verdict(), check(f, 1, 0).message());
            assertTrue(f.runner.finished().getNow(false), "the scenario passed and ended");
        }
    }

    @Test
    void noAlertFailsOnAPageWithinTheWindow() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(LOSS)) {
            f.runTo(59_000);
            f.alert(FIRING, "PacketLoss", "198.18.0.85"); // before the step: not its business
            f.runTo(100_000);
            f.alert(FIRING, "HostDown", "198.18.0.30"); // not a matched address
            assertEquals(Verdict.PENDING, check(f, 1, 0).verdict());
            f.runTo(265_000); // the step ended at 4m; the window lasts until 5m
            f.alert(FIRING, "PacketLoss", "198.18.0.85");
            assertDecided(check(f, 1, 0), Verdict.FAILED, 205_000L, 265_000, f);
            assertEquals("PacketLoss fired 205.0 s after the step started", check(f, 1, 0).message());
        }
    }

    @Test
    void noAlertPassesWhenItsWindowCloses() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(LOSS)) {
            f.runTo(299_900);
            assertEquals(Verdict.PENDING, check(f, 1, 0).verdict());
            f.at(300_000);
            assertDecided(check(f, 1, 0), Verdict.PASSED, null, 300_000, f);
            assertEquals("no alert from the step's start until 60s after its end", check(f, 1, 0).message());
            f.alert(FIRING, "PacketLoss", "198.18.0.85");
            assertEquals(Verdict.PASSED, check(f, 1, 0).verdict(), "after the window");
            assertTrue(f.runner.finished().getNow(false));
        }
    }

    @Test
    void noAlertTrueLastsWhileTheStep() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture("scenario:\n  steps:\n    - { at: 0s, match: 198.18.0.80/28, "
                + "delay: 50ms, for: 10s, expect: { no-alert: true } }\n")) {
            f.runTo(10_000);
            assertDecided(check(f, 1, 0), Verdict.PASSED, null, 10_000, f);
            assertEquals("no alert from the step's start until its end", check(f, 1, 0).message());
        }
    }

    private static final String PROBED = String.join("\n",
            "hosts:",
            "  - { match: 198.18.0.8/29, ttl: 100 }",
            "scenario:",
            "  name: coverage",
            "  steps:",
            "    - { at: 2s, match: 198.18.0.8/29, for: 20s, expect: { probed: 3s } }",
            "");

    /** Probes each address of 198.18.0.8/29 but {@code except}, once a second, up to {@code toMillis}. */
    private static void probeEverySecond(ScenarioFixture f, long toMillis, String... except) {
        long now = f.clock.currentTimeMillis() - f.start;
        for (long t = now; t <= toMillis; t += 100) {
            f.at(t);
            if (t % 1000 == 0) {
                for (int host = 8; host < 16; host++) {
                    String a = "198.18.0." + host;
                    if (!List.of(except).contains(a)) {
                        f.probe(a);
                    }
                }
            }
        }
    }

    @Test
    void probedPassesAtTheStepsEndWithTheLongestGap() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(PROBED)) {
            probeEverySecond(f, 7_000);
            probeEverySecond(f, 9_900, "198.18.0.12"); // its probe at 8 s and at 9 s are missing
            probeEverySecond(f, 21_900);
            assertEquals(Verdict.PENDING, check(f, 1, 0).verdict());
            f.at(22_000);
            Check c = check(f, 1, 0);
            assertEquals(Verdict.PASSED, c.verdict(), c.message());
            assertEquals(f.start + 22_000, c.decidedMillis());
            assertEquals(3_000L, c.measuredMillis(), "the probe at 10 s after the one at 7 s: " + c.message());
            assertEquals("the longest gap was 3.0 s, at 198.18.0.12 (of 8 addresses)", c.message());
        }
    }

    @Test
    void probedFailsAsSoonAsAnAddressHasGoneLongerThanItsLimit() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(PROBED)) {
            probeEverySecond(f, 5_000);
            probeEverySecond(f, 8_000, "198.18.0.13");
            assertEquals(Verdict.PENDING, check(f, 1, 0).verdict(), "3 s since its last probe, at 5 s");
            f.at(8_100);
            Check c = check(f, 1, 0);
            assertDecided(c, Verdict.FAILED, 3_100L, 8_100, f);
            assertEquals("198.18.0.13 went 3.1 s without a probe (limit 3s)", c.message());
        }
    }

    @Test
    void aGapOpenAtTheStepsStartCountsFromThereAndNeverProbedFails() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(PROBED)) {
            f.runTo(5_000);
            assertEquals(Verdict.PENDING, check(f, 1, 0).verdict(), "the step started at 2 s");
            f.at(5_100);
            Check c = check(f, 1, 0);
            assertDecided(c, Verdict.FAILED, 3_100L, 5_100, f);
            assertEquals("198.18.0.8 went 3.1 s without a probe (limit 3s)", c.message(), "never probed");
        }
    }

    @Test
    void theStatusShowsEachStepAndEachResult() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(OUTAGE)) {
            f.runTo(70_000);
            f.alert(FIRING, "HostDown", "198.18.0.30");
            JsonNode s = f.runner.status();
            assertEquals("outage", s.get("name").asText());
            assertEquals("running", s.get("state").asText());
            assertEquals(70.0, s.get("elapsed_seconds").asDouble());
            assertEquals(1, s.get("expectations").get("passed").asInt());
            assertEquals(1, s.get("expectations").get("pending").asInt());
            JsonNode step = s.get("steps").get(0);
            assertEquals("198.18.0.30", step.get("match").asText());
            assertEquals("down", step.get("settings").get("state").asText());
            assertEquals(30.0, step.get("at_seconds").asDouble());
            assertEquals(120.0, step.get("for_seconds").asDouble());
            JsonNode alert = step.get("expectations").get(0);
            assertEquals("step 1 198.18.0.30 alert 90s", alert.get("name").asText());
            assertEquals("passed", alert.get("result").asText());
            assertEquals("detection_seconds", alert.get("measure").asText());
            assertEquals(40.0, alert.get("measured_seconds").asDouble());
            assertEquals(70.0, alert.get("decided_after_seconds").asDouble());
            JsonNode resolve = step.get("expectations").get(1);
            assertEquals("pending", resolve.get("result").asText());
            assertTrue(resolve.get("measured_seconds").isNull());
            assertEquals(1, f.runner.expectations(Verdict.PASSED));
            assertEquals(1, f.runner.expectations(Verdict.PENDING));
        }
    }

    @Test
    void atItsEndWhatIsUndecidedFailsAndTheStepsInForceAreReverted() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture("scenario:\n  name: cut\n  steps:\n"
                + "    - { at: 1s, match: 198.18.0.30, state: down, expect: { alert: 1m } }\n  end: 10s\n")) {
            f.runTo(9_900);
            assertEquals(HostState.DOWN, f.state("198.18.0.30"), "a step without for lasts until the end");
            assertFalse(f.runner.finished().isDone());
            f.at(10_000);
            assertEquals(HostState.UP, f.state("198.18.0.30"));
            assertDecided(check(f, 1, 0), Verdict.FAILED, null, 10_000, f);
            assertEquals("not decided when the scenario ended", check(f, 1, 0).message());
            assertFalse(f.runner.finished().getNow(true));
            assertEquals("finished", f.runner.status().get("state").asText());
            assertEquals("scenario 198.18.0.30/32: scenario cut ends: removed", f.events().get(1));
        }
    }

    @Test
    void aRestartRevertsTheStepsInForceAndStartsOverFromNow() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(OUTAGE)) {
            f.runTo(70_000);
            f.alert(FIRING, "HostDown", "198.18.0.30");
            assertEquals(HostState.DOWN, f.state("198.18.0.30"));
            f.runner.restart();
            assertEquals(HostState.UP, f.state("198.18.0.30"));
            assertEquals(Verdict.PENDING, check(f, 1, 0).verdict(), "every expectation afresh");
            assertEquals("pending", f.runner.status().get("steps").get(0).get("state").asText());
            f.clock.advance(30, TimeUnit.SECONDS);
            f.tick();
            assertEquals(HostState.DOWN, f.state("198.18.0.30"), "30 s after the restart");
            assertEquals("scenario 198.18.0.30/32: scenario outage restarts: removed", f.events().get(1));
        }
    }

    @Test
    void aReloadDoesNotRestartTheScenarioButARestartRunsTheReloadedOne() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture(OUTAGE)) {
            f.runTo(40_000);
            f.control.reload(ScenarioFixture.config(LOSS));
            f.runTo(41_000);
            assertEquals("outage", f.runner.spec().name(), "the running scenario goes on");
            assertEquals(HostState.DOWN, f.state("198.18.0.30"));
            f.runner.restart();
            assertEquals("loss", f.runner.spec().name());
            assertEquals(HostState.UP, f.state("198.18.0.30"), "the old scenario's step reverted");
            assertEquals("198.18.0.80/28", f.runner.status().get("steps").get(0).get("match").asText());
        }
    }

    @Test
    void aScenarioWithoutExpectationsEndsWithItsLastStep() throws Exception {
        try (ScenarioFixture f = new ScenarioFixture("scenario:\n  steps:\n"
                + "    - { at: 1s, match: 198.18.0.30, state: down, for: 2s }\n")) {
            f.runTo(2_900);
            assertFalse(f.runner.finished().isDone());
            f.at(3_000);
            assertTrue(f.runner.finished().getNow(false));
            assertNull(f.runner.status().get("report").textValue());
        }
    }
}
