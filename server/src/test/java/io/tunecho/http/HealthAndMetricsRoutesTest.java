package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.tunecho.packet.ReplyKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} and {@code /health}: GET (and HEAD) only, open by default, behind the token with
 * {@code http.protect-metrics}. Health with no channel is 503; the 200 of a running interface is ControlIT's.
 */
class HealthAndMetricsRoutesTest {
    private final AdminFixture fixture = new AdminFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void metricsAnswersThePrometheusTextFormat() {
        fixture.counters.count(ReplyKind.ECHO);
        try (AdminClient c = fixture.open()) {
            AdminClient.Answer a = c.get("/metrics");
            assertEquals(200, a.status());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", a.contentType());
            assertEquals("no-store", a.headers().get("Cache-Control"));
            assertTrue(a.body().contains("\ntunecho_replies_total{kind=\"echo\"} 1.0\n"), a.body());
        }
    }

    @Test
    void metricsAnswersHeadWithoutABody() {
        try (AdminClient c = fixture.open()) {
            AdminClient.Answer a = c.send(HttpMethod.HEAD, "/metrics", null);
            assertEquals(200, a.status());
            assertEquals("", a.body());
            assertTrue(a.headers().getInt("Content-Length") > 0, "the length of the body a GET gets");
        }
    }

    @Test
    void metricsRefusesOtherMethods() {
        try (AdminClient c = fixture.open()) {
            for (HttpMethod m : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE}) {
                AdminClient.Answer a = c.send(m, "/metrics", null);
                assertEquals(405, a.status(), m.name());
                assertEquals(Response.JSON, a.contentType());
                assertEquals("method not allowed here", a.error());
            }
        }
    }

    @Test
    void healthWithoutAChannelIsDown() {
        try (AdminClient c = fixture.open()) {
            AdminClient.Answer a = c.get("/health");
            assertEquals(503, a.status());
            assertEquals(Response.JSON, a.contentType());
            JsonNode j = a.json();
            assertEquals("down", j.get("status").asText());
            assertEquals("no channel", j.get("reason").asText());
            assertEquals(0, j.get("channels").size());
        }
    }

    @Test
    void healthRefusesOtherMethods() {
        try (AdminClient c = fixture.open()) {
            assertEquals(405, c.send(HttpMethod.POST, "/health", "{}").status());
            assertEquals(405, c.send(HttpMethod.DELETE, "/health", null).status());
        }
    }

    @Test
    void openWithATokenUnlessProtected() {
        try (AdminClient c = fixture.open(fixture.routes(AdminFixture.TOKEN, false))) {
            assertEquals(200, c.get("/metrics").status());
            assertEquals(503, c.get("/health").status());
        }
    }

    @Test
    void protectedMetricsAndHealthNeedTheToken() {
        try (AdminClient c = fixture.open(fixture.routes(AdminFixture.TOKEN, true))) {
            for (String path : new String[] {"/metrics", "/health"}) {
                AdminClient.Answer missing = c.get(path);
                assertEquals(401, missing.status(), path);
                assertEquals("Bearer realm=\"tunecho\"", missing.headers().get("WWW-Authenticate"));
                assertEquals(401, c.send(HttpMethod.GET, path, null, "Authorization", "Bearer wrong").status(), path);
                assertEquals(401, c.send(HttpMethod.GET, path, null, "Authorization", AdminFixture.TOKEN).status(),
                        "the token without its scheme: " + path);
            }
            String bearer = "Bearer " + AdminFixture.TOKEN;
            assertEquals(200, c.send(HttpMethod.GET, "/metrics", null, "Authorization", bearer).status());
            assertEquals(503, c.send(HttpMethod.GET, "/health", null, "Authorization", bearer).status());
        }
    }
}
