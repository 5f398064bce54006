package io.tunecho.http;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a token set, every path and method under {@code /api} answers 401 without it or with another, before anything
 * is read or changed; with it, the route answers as it does without a token configured. The lab page stays open.
 */
class AuthRoutesTest {
    private static final List<String> PATHS = List.of("/api", "/api/", "/api/hosts", "/api/hosts/198.18.0.10",
            "/api/hosts/198.18.0.64%2F27", "/api/reset", "/api/reload", "/api/events", "/api/capture", "/api/alerts",
            "/api/nothing");
    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH);
    private static final String BODY = "{\"state\": \"down\"}";

    private final AdminFixture fixture = new AdminFixture();
    private final AdminClient client = fixture.open(fixture.routes(AdminFixture.TOKEN, false));

    @AfterEach
    void close() {
        client.close();
        fixture.close();
    }

    @Test
    void everyApiRouteNeedsTheToken() {
        for (String path : PATHS) {
            for (HttpMethod m : METHODS) {
                String what = m + " " + path;
                AdminClient.Answer missing = client.send(m, path, BODY);
                assertEquals(401, missing.status(), what);
                assertEquals("Bearer realm=\"tunecho\"", missing.headers().get("WWW-Authenticate"), what);
                if (m != HttpMethod.HEAD) {
                    assertEquals("this needs the token: Authorization: Bearer TOKEN", missing.error(), what);
                }
                assertEquals(401, client.send(m, path, BODY, "Authorization", "Bearer " + AdminFixture.TOKEN + "x")
                        .status(), what);
                assertEquals(401, client.send(m, path, BODY, "Authorization", "Basic " + AdminFixture.TOKEN).status(),
                        what);
            }
        }
        assertTrue(fixture.control.overrides().isEmpty(), "nothing was changed");
        assertEquals(0, fixture.control.events().count());
    }

    @Test
    void withTheTokenTheRouteAnswers() {
        String bearer = "Bearer " + AdminFixture.TOKEN;
        assertEquals(200, client.send(HttpMethod.GET, "/api/hosts", null, "Authorization", bearer).status());
        assertEquals(200, client.send(HttpMethod.GET, "/api/events", null, "Authorization", bearer).status());
        assertEquals(404, client.send(HttpMethod.GET, "/api/nothing", null, "Authorization", bearer).status());
        AdminClient.Answer put = client.send(HttpMethod.PUT, "/api/hosts/198.18.0.70", BODY, "Authorization", bearer);
        assertEquals(200, put.status(), put.body());
        assertEquals(1, fixture.control.overrides().size());
        AdminClient.Answer reset = client.send(HttpMethod.POST, "/api/reset", null, "Authorization", bearer);
        assertEquals("1 overrides removed", reset.json().get("result").asText());
    }

    @Test
    void theLabPageNeedsNoToken() {
        assertEquals(200, client.get("/").status());
        assertEquals(200, client.get("/lab.js").status());
        assertNotEquals(401, client.get("/metrics").status());
    }
}
