package io.tunecho.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitoring chain of {@code examples/alerting/} with the real programs: tunecho answers the example's lab,
 * Debian's blackbox exporter pings it for Prometheus, the test takes one host down through the admin API, the
 * HostDown rule fires, and Alertmanager's webhook delivers a version 4 payload naming the host, then its resolution
 * once the host is back. The webhook goes to {@link AlertReceiver}, a stand-in in this JVM; with tunecho's own
 * {@code POST /api/alerts} it is the example as users run it (DrillIT grades that).
 */
class MonitoringChainIT {
    private static final String HOST = "198.18.0.10";

    @Test
    void aHostTakenDownPagesThroughPrometheusAndAlertmanagerAndTheAlertClearsWhenItIsBack() throws Exception {
        Netns.assertPrivateNamespace();
        String token = AlertingExample.token();
        List<String> config = Arrays.asList(AlertingExample.dump(AlertingExample.tunecho("tunit35")).split("\n"));
        try (AlertReceiver receiver = new AlertReceiver(token);
             TunechoProcess tunecho = TunechoProcess.startWithConfig(List.of(), config, "--transport", "epoll")) {
            tunecho.awaitOutput("HTTP on", 10);
            MonitoringStack.Settings settings = MonitoringStack.Settings.fast(receiver.url(), token);
            try (MonitoringStack stack = MonitoringStack.start("chain", settings)) {
                stack.awaitProbedOnce(30);
                Map<String, Double> up = Poll.until(10, stack::probeSuccess,
                        m -> m.values().stream().allMatch(v -> v == 1.0));
                assertTrue(up.values().stream().allMatch(v -> v == 1.0), "not every host answers the probes: " + up);
                AdminApi api = new AdminApi(AlertingExample.httpBase(), token);

                long down = System.nanoTime();
                api.ok("PUT", "/api/hosts/" + HOST, "{\"state\": \"down\"}");
                Optional<AlertReceiver.Notification> firing = receiver.await("firing", HOST, 30);
                assertTrue(firing.isPresent(), () -> "no firing alert for " + HOST + " within 30 s; received "
                        + receiver.received() + ", refused " + receiver.refused() + "\nAlertmanager: "
                        + stack.alertmanagerAlerts() + "\n" + stack.logs());
                double detection = seconds(firing.get().receivedNanos() - down);

                long back = System.nanoTime();
                api.ok("DELETE", "/api/hosts/" + HOST, null);
                Optional<AlertReceiver.Notification> resolved = receiver.await("resolved", HOST, 30);
                assertTrue(resolved.isPresent(), () -> "no resolved alert for " + HOST + " within 30 s; received "
                        + receiver.received() + "\n" + stack.logs());
                double resolution = seconds(resolved.get().receivedNanos() - back);
                System.out.printf("MonitoringChainIT: HostDown for %s fired %.2f s after it went down and resolved"
                        + " %.2f s after it came back (scrape and evaluation every %s, for: %s, group_wait 0s)%n",
                        HOST, detection, resolution, settings.interval(), settings.ruleFor());

                assertPayload(firing.get().body(), "firing");
                assertPayload(resolved.get().body(), "resolved");
                // The rule holds for its for: before it fires; the host's first failed probe comes up to a scrape
                // interval (and the probe's timeout, at most that again) after it went down, and the rule sees it at
                // its next evaluation. Two seconds more for a loaded machine.
                double interval = settings.intervalDuration().toMillis() / 1000.0;
                double ruleFor = settings.ruleForDuration().toMillis() / 1000.0;
                assertTrue(detection >= ruleFor && detection <= ruleFor + 3 * interval + 2,
                        "detection " + detection + " s, for: " + ruleFor + " s, interval " + interval + " s");
                assertTrue(resolution <= 3 * interval + 1 + 2, "resolution " + resolution + " s");
                assertTrue(receiver.received().stream().allMatch(n -> n.concerns(HOST)),
                        () -> "a host that stayed up paged: " + receiver.received());
            }
            tunecho.stop();
        }
    }

    @Test
    void theExamplesFilesPassTheProgramsOwnChecks() throws Exception {
        Path dir = AlertingExample.DIR;
        Netns.run(30, "promtool", "check", "config", dir.resolve("prometheus.yml").toString()).assertSuccess();
        Netns.run(30, "promtool", "check", "rules", dir.resolve("rules.yml").toString()).assertSuccess();
        Netns.run(30, "amtool", "check-config", dir.resolve("alertmanager.yml").toString()).assertSuccess();
        Netns.Result blackbox = Netns.run(30, "prometheus-blackbox-exporter", "--config.check",
                "--config.file=" + dir.resolve("blackbox.yml"));
        assertTrue(blackbox.exitCode() == 0 && blackbox.output().contains("Config file is ok"), blackbox.output());
    }

    /** Alertmanager's webhook payload, version 4, for the HostDown alert of {@link #HOST}. */
    private static void assertPayload(JsonNode body, String status) {
        assertEquals("4", body.path("version").asText(), body.toString());
        assertEquals(status, body.path("status").asText(), body.toString());
        assertEquals(1, body.path("alerts").size(), body.toString());
        JsonNode alert = body.path("alerts").path(0);
        assertEquals(status, alert.path("status").asText(), body.toString());
        assertEquals("HostDown", alert.path("labels").path("alertname").asText(), body.toString());
        assertEquals(HOST, alert.path("labels").path("instance").asText(), body.toString());
        assertEquals("page", alert.path("labels").path("severity").asText(), body.toString());
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
