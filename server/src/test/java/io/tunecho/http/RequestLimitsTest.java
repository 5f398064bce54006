package io.tunecho.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the connection refuses before any route: a body over {@link AdminServer#MAX_BODY} (413 from the aggregator),
 * and HTTP the codec cannot read (400, then the connection closes). Answers say whether the connection stays.
 */
class RequestLimitsTest {
    private final AdminFixture fixture = new AdminFixture();
    private final AdminClient client = fixture.open();

    @AfterEach
    void close() {
        client.close();
        fixture.close();
    }

    /** A JSON object of exactly {@code size} bytes: a setting, padded with spaces. */
    private static String body(int size) {
        String json = "{\"ttl\": 99}";
        return json + " ".repeat(size - json.length());
    }

    @Test
    void aBodyOfTheLimitIsRead() {
        AdminClient.Answer a = client.send(HttpMethod.PUT, "/api/hosts/198.18.0.70", body(AdminServer.MAX_BODY));
        assertEquals(200, a.status(), a.body());
        assertEquals("99", a.json().get("settings").get("ttl").asText());
        assertEquals("keep-alive", a.headers().get("Connection"));
        assertTrue(client.open());
    }

    @Test
    void aBodyOverTheLimitIs413AndChangesNothing() {
        AdminClient.Answer a = client.send(HttpMethod.PUT, "/api/hosts/198.18.0.70", body(AdminServer.MAX_BODY + 1));
        assertEquals(413, a.status());
        assertEquals(0, a.headers().getInt("Content-Length"));
        assertTrue(fixture.control.overrides().isEmpty());
        assertEquals(200, client.get("/api/hosts/198.18.0.70").status(), "the connection goes on");
    }

    @Test
    void aBodyOverTheLimitWithConnectionCloseIs413AndCloses() {
        FullHttpRequest req = AdminClient.request(HttpMethod.POST, "/api/capture", body(AdminServer.MAX_BODY + 1));
        req.headers().set("Connection", "close");
        AdminClient.Answer a = client.send(req);
        assertEquals(413, a.status());
        assertFalse(client.open());
        assertFalse(fixture.capture.active());
    }

    @Test
    void connectionCloseIsHonoured() {
        AdminClient.Answer a = client.send(HttpMethod.GET, "/api/hosts", null, "Connection", "close");
        assertEquals(200, a.status());
        assertEquals("close", a.headers().get("Connection"));
        assertFalse(client.open());
    }

    @Test
    void malformedHttpIs400AndCloses() {
        AdminClient.Answer a = client.sendRaw("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
        assertEquals(400, a.status());
        assertEquals("malformed HTTP request", a.error());
        assertEquals("close", a.headers().get("Connection"));
        assertFalse(client.open());
    }

    @Test
    void aRequestLineOverTheCodecsLimitIs400() {
        AdminClient.Answer a = client.sendRaw("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(400, a.status());
        assertEquals("malformed HTTP request", a.error());
        assertFalse(client.open());
    }
}
