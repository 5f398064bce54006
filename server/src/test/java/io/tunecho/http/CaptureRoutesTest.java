package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/capture}: GET the status, POST to start (file and max-size in the body), DELETE to stop. */
class CaptureRoutesTest {
    private final AdminFixture fixture = new AdminFixture();
    private final AdminClient client = fixture.open();
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        client.close();
        fixture.close();
    }

    @Test
    void statusWhenNothingRuns() {
        AdminClient.Answer a = client.get("/api/capture");
        assertEquals(200, a.status());
        assertEquals(Response.JSON, a.contentType());
        JsonNode j = a.json();
        assertFalse(j.get("running").asBoolean());
        assertTrue(j.get("file").isNull());
        assertEquals(0, j.get("packets_written").asLong());
        assertEquals(0, j.get("packets_dropped").asLong());
    }

    @Test
    void startsAndStops() {
        Path pcap = dir.resolve("t.pcap");
        AdminClient.Answer start = client.send(HttpMethod.POST, "/api/capture",
                "{\"file\": \"" + pcap + "\", \"max-size\": \"1MB\"}");
        assertEquals(200, start.status(), start.body());
        assertTrue(start.json().get("running").asBoolean());
        assertEquals(pcap.toString(), start.json().get("file").asText());
        assertEquals(pcap, fixture.capture.file());
        assertTrue(Files.exists(pcap));
        assertTrue(client.get("/api/capture").json().get("running").asBoolean());

        AdminClient.Answer stop = client.send(HttpMethod.DELETE, "/api/capture", null);
        assertEquals(200, stop.status());
        assertFalse(stop.json().get("running").asBoolean());
        assertEquals(null, fixture.capture.file());
        AdminClient.Answer again = client.send(HttpMethod.DELETE, "/api/capture", null);
        assertEquals(404, again.status());
        assertEquals("no capture runs", again.error());
    }

    @Test
    void withoutAFileAnywhereIs400NamingFile() {
        AdminClient.Answer a = client.send(HttpMethod.POST, "/api/capture", null);
        assertEquals(400, a.status());
        assertEquals("file", a.field());
        assertEquals("file", client.send(HttpMethod.POST, "/api/capture", "{\"max-size\": \"1MB\"}").field());
        assertFalse(fixture.capture.active());
    }

    @Test
    void refusesBadBodiesNamingTheField() {
        AdminClient.Answer unknown = client.send(HttpMethod.POST, "/api/capture", "{\"fil\": \"/tmp/x.pcap\"}");
        assertEquals(400, unknown.status());
        assertEquals("fil", unknown.field());
        assertEquals("unknown key 'fil' in the request (known keys: file, max-size)", unknown.error());
        AdminClient.Answer size = client.send(HttpMethod.POST, "/api/capture",
                "{\"file\": \"" + dir.resolve("t.pcap") + "\", \"max-size\": \"lots\"}");
        assertEquals(400, size.status());
        assertEquals("max-size", size.field());
        AdminClient.Answer array = client.send(HttpMethod.POST, "/api/capture", "[]");
        assertEquals(400, array.status());
        assertTrue(array.error().startsWith("the body must be a JSON object"), array.error());
        assertEquals(400, client.send(HttpMethod.POST, "/api/capture", "{").status());
        assertFalse(fixture.capture.active());
    }

    @Test
    void aFileThatCannotBeCreatedIs400NamingFile() {
        Path nowhere = dir.resolve("no-such-dir").resolve("t.pcap");
        AdminClient.Answer a = client.send(HttpMethod.POST, "/api/capture", "{\"file\": \"" + nowhere + "\"}");
        assertEquals(400, a.status());
        assertEquals("file", a.field());
        assertTrue(a.error().startsWith("cannot create " + nowhere + ": "), a.error());
        assertFalse(fixture.capture.active());
    }

    @Test
    void otherMethodsAre405() {
        assertEquals(405, client.send(HttpMethod.PUT, "/api/capture", "{}").status());
        assertEquals(405, client.send(HttpMethod.PATCH, "/api/capture", "{}").status());
    }
}
