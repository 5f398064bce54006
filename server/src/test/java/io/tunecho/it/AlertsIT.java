package io.tunecho.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/alerts} on the server jar, with {@code curl} as a script or a webhook sends it: the small JSON form
 * with the token is answered 200, and the alert is then an event of the address it names (and a log line); without
 * the token it is 401 and nothing is recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsIT {
    private static final String TOKEN = "al3rts-t0ken";
    private static final int PORT = 9484;
    private static final String BASE = "http://127.0.0.1:" + PORT;
    private static final String AUTH = "Authorization: Bearer " + TOKEN;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TunechoProcess tunecho;

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        tunecho = TunechoProcess.startWithConfig(List.of(), List.of(
                "interface: { name: tunit84, address: 198.18.84.1/24 }",
                "http: { address: 127.0.0.1, port: " + PORT + ", token: " + TOKEN + " }",
                "hosts:",
                "  - { match: 198.18.84.30, state: down }"));
        tunecho.awaitOutput("HTTP on", 10);
    }

    @AfterAll
    void stop() throws Exception {
        if (tunecho != null) {
            tunecho.stop();
        }
    }

    /** curl; {@code -w} appends the status code on a line of its own. */
    private static String[] curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-m", "10", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        String out = Netns.run(30, cmd.toArray(new String[0])).output();
        int nl = out.lastIndexOf('\n');
        return new String[] {out.substring(0, nl), out.substring(nl + 1).trim()};
    }

    /** The alert events the server lists now, oldest first. */
    private static List<JsonNode> alertEvents() throws Exception {
        String[] events = curl("-H", AUTH, BASE + "/api/events?limit=1000");
        assertEquals("200", events[1], events[0]);
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode e : JSON.readTree(events[0])) {
            if (e.get("cause").asText().equals("alert")) {
                alerts.add(e);
            }
        }
        return alerts;
    }

    @Test
    void theSmallFormWithTheTokenIsAnEventOfItsAddress() throws Exception {
        int before = alertEvents().size();
        String[] fired = curl("-X", "POST", "-H", AUTH, "-H", "Content-Type: application/json", "-d",
                "{\"status\": \"firing\", \"name\": \"HostDown\", \"address\": \"198.18.84.30\"}",
                BASE + "/api/alerts");
        assertEquals("200", fired[1], fired[0]);
        JsonNode answer = JSON.readTree(fired[0]);
        assertEquals(1, answer.get("received").asInt(), fired[0]);
        assertEquals("[\"198.18.84.30\"]", answer.get("alerts").get(0).get("addresses").toString(), fired[0]);

        List<JsonNode> events = alertEvents();
        assertEquals(before + 1, events.size(), events.toString());
        JsonNode e = events.get(events.size() - 1);
        assertEquals("198.18.84.30", e.get("entry").asText(), e.toString());
        assertEquals("alert HostDown firing (json)", e.get("change").asText(), e.toString());
        tunecho.awaitOutput("alert HostDown firing (json): 198.18.84.30", 10);
        assertTrue(tunecho.output().contains("alert HostDown firing (json): 198.18.84.30"), tunecho.output());
    }

    @Test
    void withoutTheTokenIt401sAndRecordsNothing() throws Exception {
        int before = alertEvents().size();
        String[] refused = curl("-X", "POST", "-H", "Content-Type: application/json", "-d",
                "{\"status\": \"firing\", \"name\": \"NoToken\", \"address\": \"198.18.84.30\"}",
                BASE + "/api/alerts");
        assertEquals("401", refused[1], refused[0]);
        assertEquals(before, alertEvents().size());
        assertTrue(!tunecho.output().contains("NoToken"), tunecho.output());
    }
}
