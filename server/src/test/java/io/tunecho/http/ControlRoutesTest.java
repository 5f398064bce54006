package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/reset}, {@code POST /api/reload} and {@code GET /api/events}. */
class ControlRoutesTest {
    private final AdminFixture fixture = new AdminFixture();
    private final AdminClient client = fixture.open();

    @AfterEach
    void close() {
        client.close();
        fixture.close();
    }

    private String ttlOf(String address) {
        return client.get("/api/hosts/" + address).json().get("settings").get("ttl").asText();
    }

    @Test
    void resetRemovesEveryOverride() {
        assertEquals(200, client.send(HttpMethod.PUT, "/api/hosts/198.18.0.5", "{\"state\": \"down\"}").status());
        assertEquals(200, client.send(HttpMethod.PUT, "/api/hosts/198.18.0.64%2F27", "{\"ttl\": 9}").status());
        AdminClient.Answer reset = client.send(HttpMethod.POST, "/api/reset", null);
        assertEquals(200, reset.status());
        assertEquals("2 overrides removed", reset.json().get("result").asText());
        assertTrue(fixture.control.overrides().isEmpty());
        assertEquals("up", client.get("/api/hosts/198.18.0.5").json().get("state").asText());
        assertEquals("128", ttlOf("198.18.0.66"));
        assertEquals("0 overrides removed", client.send(HttpMethod.POST, "/api/reset", null).json().get("result")
                .asText());
    }

    @Test
    void resetIsAPost() {
        assertEquals(405, client.get("/api/reset").status());
        assertEquals(405, client.send(HttpMethod.DELETE, "/api/reset", null).status());
    }

    @Test
    void reloadReadsTheFileAgain() {
        fixture.file = AdminFixture.YAML.replace("ttl: 128", "ttl: 100");
        AdminClient.Answer a = client.send(HttpMethod.POST, "/api/reload", null);
        assertEquals(200, a.status(), a.body());
        assertTrue(a.json().get("result").asText().startsWith("reloaded: "), a.body());
        assertEquals("100", ttlOf("198.18.0.66"));
        assertEquals(1, fixture.control.reloadCounts()[0]);
    }

    @Test
    void aRefusedReloadIs400AndChangesNothing() {
        fixture.file = AdminFixture.YAML.replace("ttl: 128", "ttl: 999");
        AdminClient.Answer bad = client.send(HttpMethod.POST, "/api/reload", null);
        assertEquals(400, bad.status());
        assertTrue(bad.error().contains("999"), bad.error());
        fixture.file = AdminFixture.YAML.replace("198.18.0.1/24", "198.18.0.1/25");
        AdminClient.Answer restart = client.send(HttpMethod.POST, "/api/reload", null);
        assertEquals(400, restart.status());
        assertEquals("interface.address changed: that needs a restart; nothing was changed", restart.error());
        assertEquals("128", ttlOf("198.18.0.66"));
        // Only the configuration that HostControl refused is counted: the loader refused the other before it.
        assertEquals(1, fixture.control.reloadCounts()[1]);
        assertEquals(0, fixture.control.reloadCounts()[0]);
    }

    @Test
    void reloadIsAPost() {
        assertEquals(405, client.get("/api/reload").status());
        assertEquals(405, client.send(HttpMethod.PUT, "/api/reload", "{}").status());
    }

    @Test
    void eventsListTheChangesNewestLast() {
        client.send(HttpMethod.PUT, "/api/hosts/198.18.0.64%2F27", "{\"ttl\": 200}");
        client.send(HttpMethod.DELETE, "/api/hosts/198.18.0.64%2F27", null);
        AdminClient.Answer a = client.get("/api/events");
        assertEquals(200, a.status());
        assertEquals(Response.JSON, a.contentType());
        JsonNode events = a.json();
        assertEquals(2, events.size(), a.body());
        JsonNode put = events.get(0);
        assertEquals("api", put.get("cause").asText());
        assertEquals("198.18.0.64/27", put.get("entry").asText());
        assertEquals("ttl: 128 -> 200", put.get("change").asText());
        assertNotNull(java.time.Instant.parse(put.get("time").asText()));
        assertEquals("ttl: 200 -> 128", events.get(1).get("change").asText());

        JsonNode last = client.get("/api/events?limit=1").json();
        assertEquals(1, last.size());
        assertEquals(events.get(1), last.get(0));
    }

    @Test
    void eventsRefuseABadLimitNamingIt() {
        AdminClient.Answer zero = client.get("/api/events?limit=0");
        assertEquals(400, zero.status());
        assertEquals("limit", zero.field());
        AdminClient.Answer word = client.get("/api/events?limit=all");
        assertEquals(400, word.status());
        assertEquals("limit 'all' is not a number", word.error());
    }

    @Test
    void eventsAreAGet() {
        assertEquals(405, client.send(HttpMethod.POST, "/api/events", "{}").status());
        assertEquals(405, client.send(HttpMethod.DELETE, "/api/events", null).status());
    }

    @Test
    void unknownApiPathsAre404() {
        AdminClient.Answer a = client.get("/api/nothing");
        assertEquals(404, a.status());
        assertEquals("no such path: /api/nothing", a.error());
        assertNull(a.field());
        assertEquals(404, client.get("/api").status());
        assertEquals(404, client.send(HttpMethod.POST, "/api/", "{}").status());
        assertEquals(IpCidr.parse("198.18.0.0/24"), fixture.control.current().entries().get(0).match(),
                "nothing changed");
    }
}
