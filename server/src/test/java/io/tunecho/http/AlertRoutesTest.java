package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.tunecho.drill.AlertNotice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/alerts} with the token, as Alertmanager's webhook sends it (a payload captured from Alertmanager
 * 0.25) and in the small form; {@code GET /api/alerts}; the events and the metric they leave.
 */
class AlertRoutesTest {
    private static final String BEARER = "Bearer " + AdminFixture.TOKEN;

    private final AdminFixture fixture = new AdminFixture();
    private final ApiRoutes routes = fixture.routes(AdminFixture.TOKEN, false);
    private final AdminClient client = fixture.open(routes);

    @AfterEach
    void close() {
        client.close();
        fixture.close();
    }

    private AdminClient.Answer post(String body) {
        return client.send(HttpMethod.POST, "/api/alerts", body, "Authorization", BEARER,
                "Content-Type", "application/json");
    }

    private AdminClient.Answer get(String uri) {
        return client.send(HttpMethod.GET, uri, null, "Authorization", BEARER);
    }

    @Test
    void alertmanagersWebhookIsAnsweredWithWhatWasReceived() {
        AdminClient.Answer a = post(payload("alertmanager-firing.json"));
        assertEquals(200, a.status(), a.body());
        JsonNode got = a.json();
        assertEquals(2, got.get("received").asInt());
        JsonNode first = got.get("alerts").get(0);
        assertEquals("firing", first.get("status").asText());
        assertEquals("HostDown", first.get("name").asText());
        assertEquals("[\"198.18.0.30\"]", first.get("addresses").toString());
        assertEquals("198.18.0.30:80", first.get("labels").get("instance").asText());
        assertEquals("alertmanager", first.get("source").asText());
        assertEquals("[]", got.get("alerts").get(1).get("addresses").toString(), "the fixture answers no IPv6");

        JsonNode events = get("/api/events?limit=2").json();
        assertEquals("alert", events.get(0).get("cause").asText());
        assertEquals("198.18.0.30", events.get(0).get("entry").asText());
        assertEquals("alert HostDown firing (alertmanager)", events.get(0).get("change").asText());
        assertEquals("", events.get(1).get("entry").asText());
        assertEquals("alert HostDown firing (alertmanager); concerns no answered address (2001:db8::5 not answered)",
                events.get(1).get("change").asText());
    }

    @Test
    void theSmallFormAndTheRecentNoticesNewestFirst() {
        assertEquals(200, post(payload("alertmanager-firing.json")).status());
        AdminClient.Answer a = post("{\"status\": \"resolved\", \"name\": \"HostDown\", \"address\": \"198.18.0.99\"}");
        assertEquals(200, a.status(), a.body());
        assertEquals("[\"198.18.0.99\"]", a.json().get("alerts").get(0).get("addresses").toString());
        assertEquals("json", a.json().get("alerts").get(0).get("source").asText());

        JsonNode recent = get("/api/alerts").json();
        assertEquals(3, recent.size());
        assertEquals("resolved", recent.get(0).get("status").asText());
        assertEquals("198.18.0.99", recent.get(0).get("addresses").get(0).asText());
        assertEquals(1, get("/api/alerts?limit=1").json().size());
        AdminClient.Answer bad = get("/api/alerts?limit=0");
        assertEquals(400, bad.status());
        assertEquals("limit", bad.field());
    }

    @Test
    void badBodiesAre400NamingTheField() {
        AdminClient.Answer noName = post("{\"status\": \"firing\"}");
        assertEquals(400, noName.status());
        assertEquals("name", noName.field());
        AdminClient.Answer badStatus = post("{\"alerts\": [{\"status\": \"on\", \"labels\": {\"alertname\": \"A\"}}]}");
        assertEquals(400, badStatus.status());
        assertEquals("alerts[0].status", badStatus.field());
        assertEquals("alerts[0].status 'on' is neither \"firing\" nor \"resolved\"", badStatus.error());
        assertEquals(400, post("{\"status\": ").status());
        assertEquals("the request needs a JSON body", client.send(HttpMethod.POST, "/api/alerts", null,
                "Authorization", BEARER).error());
        assertEquals(405, client.send(HttpMethod.PUT, "/api/alerts", "{}", "Authorization", BEARER).status());
        assertEquals(0, fixture.control.events().count(), "nothing was recorded");
    }

    @Test
    void withoutTheTokenNothingIsReceived() {
        AdminClient.Answer a = client.send(HttpMethod.POST, "/api/alerts", payload("alertmanager-firing.json"));
        assertEquals(401, a.status());
        assertEquals(0, fixture.alerts.received(AlertNotice.Status.FIRING));
        assertEquals(0, fixture.control.events().count());
    }

    @Test
    void listenersHearAlertsOnTheControlThread() throws Exception {
        Thread control = fixture.control.executor().submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
        List<Thread> heard = new ArrayList<>();
        fixture.alerts.addListener(n -> heard.add(Thread.currentThread()));
        assertEquals(200, post("{\"status\": \"firing\", \"name\": \"A\"}").status());
        assertEquals(List.of(control), heard);
    }

    @Test
    void theMetricCountsByStatus() {
        post(payload("alertmanager-firing.json"));
        post(payload("alertmanager-resolved.json"));
        post("{\"status\": \"firing\", \"name\": \"A\"}");
        String scrape = client.send(HttpMethod.GET, "/metrics", null).body();
        assertTrue(scrape.contains("tunecho_alerts_received_total{status=\"firing\"} 3.0"), scrape);
        assertTrue(scrape.contains("tunecho_alerts_received_total{status=\"resolved\"} 2.0"), scrape);
    }

    /** A webhook body Alertmanager sent (the drill package's test resources). */
    private static String payload(String name) {
        try (InputStream in = AlertRoutesTest.class.getResourceAsStream("/io/tunecho/drill/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
