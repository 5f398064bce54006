package io.tunecho.http;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The lab page's files from the jar, by a fixed list of paths; anything else is 404. */
class StaticFilesRoutesTest {
    private final AdminFixture fixture = new AdminFixture();
    private final AdminClient client = fixture.open();

    @AfterEach
    void close() {
        client.close();
        fixture.close();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = StaticFiles.class.getResourceAsStream("/io/tunecho/http/lab/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void assertServes(String path, String name, String contentType) throws IOException {
        AdminClient.Answer a = client.get(path);
        assertEquals(200, a.status(), path);
        assertEquals(contentType, a.contentType(), path);
        assertEquals(resource(name), a.body(), path);
        assertEquals("no-store", a.headers().get("Cache-Control"));
    }

    @Test
    void servesThePageAndItsFiles() throws IOException {
        assertServes("/", "index.html", "text/html; charset=utf-8");
        assertServes("/index.html", "index.html", "text/html; charset=utf-8");
        assertServes("/lab.js", "lab.js", "text/javascript; charset=utf-8");
        assertServes("/lab.css", "lab.css", "text/css; charset=utf-8");
        assertServes("/?tab=hosts", "index.html", "text/html; charset=utf-8");
    }

    @Test
    void headHasTheLengthButNoBody() throws IOException {
        AdminClient.Answer a = client.send(HttpMethod.HEAD, "/lab.css", null);
        assertEquals(200, a.status());
        assertEquals("", a.body());
        assertEquals(resource("lab.css").getBytes(StandardCharsets.UTF_8).length,
                a.headers().getInt("Content-Length"));
    }

    @Test
    void anythingElseIs404() {
        for (String path : new String[] {"/nothing", "/lab", "/../pom.xml", "/io/tunecho/http/lab/lab.js",
            "/lab.js/"}) {
            AdminClient.Answer a = client.get(path);
            assertEquals(404, a.status(), path);
            assertEquals(Response.JSON, a.contentType(), path);
        }
        assertEquals("no such path: /nothing", client.get("/nothing").error());
    }

    @Test
    void otherMethodsThanGetAre404() {
        AdminClient.Answer a = client.send(HttpMethod.POST, "/index.html", "x");
        assertEquals(404, a.status());
        assertEquals("no such path: /index.html", a.error());
        assertEquals(404, client.send(HttpMethod.DELETE, "/", null).status());
    }
}
