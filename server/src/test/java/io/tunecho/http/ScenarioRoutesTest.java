package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.tunecho.drill.ScenarioRunner;
import io.tunecho.hosts.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/scenario}: the scenario's report so far, its restart, its metrics; 404 without one. */
class ScenarioRoutesTest {
    private static final String YAML = AdminFixture.YAML + String.join("\n",
            "scenario:",
            "  name: later",
            "  steps:",
            "    - { at: 1h, match: 198.18.0.30, state: down, for: 1m, expect: { alert: 1m } }",
            "");

    private final AdminFixture fixture = new AdminFixture(YAML);
    private final ScenarioRunner runner = new ScenarioRunner(fixture.config.scenario(), fixture.control,
            Clock.SYSTEM, a -> -1);
    private final AdminContext context = new AdminContext(fixture.control, fixture.counters,
            fixture.context.channels(), "epoll", fixture.capture, fixture.context.reloader(), fixture.config, fixture.probes,
            fixture.alerts, runner);
    private final AdminClient client = new AdminClient(new ApiRoutes(context, AdminFixture.TOKEN, false,
            fixture.connections), fixture.connections, fixture.control);
    private static final String[] AUTH = {"Authorization", "Bearer " + AdminFixture.TOKEN};

    @AfterEach
    void close() {
        client.close();
        fixture.close();
    }

    @Test
    void theReportSoFar() {
        runner.start();
        AdminClient.Answer a = client.send(HttpMethod.GET, "/api/scenario", null, AUTH);
        assertEquals(200, a.status(), a.body());
        JsonNode j = a.json();
        assertEquals("later", j.get("name").asText());
        assertEquals("running", j.get("state").asText());
        JsonNode step = j.get("steps").get(0);
        assertEquals("pending", step.get("state").asText());
        assertEquals("step 1 198.18.0.30 alert 60s", step.get("expectations").get(0).get("name").asText());
        assertEquals("pending", step.get("expectations").get(0).get("result").asText());
        assertEquals(401, client.get("/api/scenario").status(), "it needs the token like every /api call");
    }

    @Test
    void aRestartStartsItOver() {
        assertEquals("pending", client.send(HttpMethod.GET, "/api/scenario", null, AUTH).json().get("state")
                .asText(), "not started yet");
        AdminClient.Answer a = client.send(HttpMethod.POST, "/api/scenario/restart", null, AUTH);
        assertEquals(200, a.status(), a.body());
        assertEquals("running", a.json().get("state").asText());
        assertEquals(405, client.send(HttpMethod.GET, "/api/scenario/restart", null, AUTH).status());
        assertEquals(405, client.send(HttpMethod.DELETE, "/api/scenario", null, AUTH).status());
        assertEquals(404, client.send(HttpMethod.GET, "/api/scenario/nothing", null, AUTH).status());
    }

    @Test
    void theMetricsCountTheExpectationsByResult() {
        String metrics = client.get("/metrics").body();
        assertTrue(metrics.contains("tunecho_scenario_expectations{result=\"pending\"} 1.0"), metrics);
        assertTrue(metrics.contains("tunecho_scenario_expectations{result=\"failed\"} 0.0"), metrics);
    }

    @Test
    void withoutAScenario404() {
        try (AdminFixture plain = new AdminFixture(); AdminClient c = plain.open()) {
            AdminClient.Answer a = c.get("/api/scenario");
            assertEquals(404, a.status());
            assertEquals("no scenario runs: configure one (scenario: in the config file, or --scenario FILE)",
                    a.error());
            assertTrue(!c.get("/metrics").body().contains("tunecho_scenario"), "no scenario, no series");
        }
    }
}
