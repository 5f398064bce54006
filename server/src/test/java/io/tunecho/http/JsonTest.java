package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tunecho.config.ConfigNode;
import io.tunecho.control.Cause;
import io.tunecho.control.HostEvent;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.PrefixTable;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Json: request bodies into config trees, and host entries, counters, events and errors out. */
class JsonTest {
    private static final String TIMELINES = String.join("\n",
            "interface: { address: 198.18.0.1/24 }",
            "hosts:",
            "  - match: 198.18.0.50",
            "    timeline: { repeat: true, steps: [ { for: 1h, state: up }, { for: 1h, state: down } ] }",
            "  - match: 198.18.0.51",
            "    timeline: { steps: [ { for: 1h, state: up }, { for: 1h, state: down } ] }",
            "  - match: 198.18.0.52",
            "    timeline: { repeat: true, steps: [ { for: 1h, delay: 1ms }, { for: 1h, delay: 2ms } ] }",
            "  - { match: 198.18.0.64/28, stagger: 1s, timeline: { steps: [ { for: 1h, ttl: 1 } ] } }",
            "");

    private static JsonNode read(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    private static Map<String, ConfigNode> mapping(ConfigNode n) {
        return assertInstanceOf(ConfigNode.Mapping.class, n).entries();
    }

    private static String scalar(ConfigNode n) {
        return assertInstanceOf(ConfigNode.Scalar.class, n).text();
    }

    @Test
    void bodiesBecomeConfigTreesInOrder() throws Exception {
        ConfigNode n = Json.toConfig(read(
                "{\"state\": \"down\", \"loss\": {\"p\": \"2%\", \"r\": 0.4}, \"ports\": [22, \"80\", [true]], \"x\": null}"));
        Map<String, ConfigNode> m = mapping(n);
        assertEquals(List.of("state", "loss", "ports", "x"), List.copyOf(m.keySet()));
        assertEquals("down", scalar(m.get("state")));
        assertEquals("2%", scalar(mapping(m.get("loss")).get("p")));
        assertEquals("0.4", scalar(mapping(m.get("loss")).get("r")));
        List<ConfigNode> ports = assertInstanceOf(ConfigNode.Sequence.class, m.get("ports")).items();
        assertEquals("22", scalar(ports.get(0)));
        assertEquals("80", scalar(ports.get(1)));
        assertEquals("true", scalar(assertInstanceOf(ConfigNode.Sequence.class, ports.get(2)).items().get(0)));
        assertTrue(assertInstanceOf(ConfigNode.Scalar.class, m.get("x")).isNull());
        assertEquals("", ((ConfigNode.Mapping) n).where(), "a body has no file position");
    }

    @Test
    void numbersKeepTheirValue() throws Exception {
        Map<String, ConfigNode> m = mapping(Json.toConfig(read(
                "{\"a\": 64, \"b\": -1, \"c\": 99999999999999999999, \"d\": 0.5, \"e\": 1e3, \"f\": 1e309}")));
        assertEquals("64", scalar(m.get("a")));
        assertEquals("-1", scalar(m.get("b")));
        assertEquals("99999999999999999999", scalar(m.get("c")));
        assertEquals("0.5", scalar(m.get("d")));
        assertEquals(1000.0, Double.parseDouble(scalar(m.get("e"))));
        assertEquals(Double.POSITIVE_INFINITY, Double.parseDouble(scalar(m.get("f"))),
                "out of range: the settings' readers refuse it");
    }

    @Test
    void errorsNameTheirFieldWhenThereIsOne() {
        ObjectNode withField = Json.error("ttl 999 is out of range", "ttl");
        assertEquals("ttl 999 is out of range", withField.get("error").asText());
        assertEquals("ttl", withField.get("field").asText());
        ObjectNode without = Json.error("the request needs a JSON body", null);
        assertFalse(without.has("field"));
        assertEquals(1, without.size());
    }

    @Test
    void textIsEscaped() throws Exception {
        String message = "a \"quoted\" \\ back\nnew\tline \u0001 \u00e9\u4e2d </script>";
        Response r = Response.error(HttpResponseStatus.BAD_REQUEST, message, "k\"ey");
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertFalse(text.contains("back\nnew"), "a newline inside a string is escaped: " + text);
        assertTrue(text.contains("\\\"quoted\\\""), text);
        assertTrue(text.contains("\\u0001"), text);
        JsonNode back = read(text);
        assertEquals(message, back.get("error").asText());
        assertEquals("k\"ey", back.get("field").asText());
        assertEquals(Response.JSON, r.contentType());
    }

    @Test
    void anEntryWithItsTimelineOverrideAndCounters() throws Exception {
        try (AdminFixture f = new AdminFixture(TIMELINES)) {
            f.control.put(IpCidr.parse("198.18.0.50"), null, HostSettings.of(HostSetting.TTL, 7), 3_600_000_000_000L);
            HostEntry e = f.control.current().prefixes().get(IpCidr.parse("198.18.0.50/32"));
            e.counters().request(1_700_000_000_000L);
            e.counters().replied();
            ObjectNode o = Json.entry(e, 0, f.control.overrides().get(e.match()));
            assertEquals("198.18.0.50/32", o.get("match").asText());
            assertEquals("up", o.get("state").asText());
            assertEquals("7", o.get("settings").get("ttl").asText());
            JsonNode t = o.get("timeline");
            assertEquals(1, t.get("step").asInt());
            assertEquals(2, t.get("steps").asInt());
            assertTrue(t.get("repeat").asBoolean());
            assertTrue(t.get("flapping").asBoolean());
            assertEquals(e.timeline().spec().toString(), t.get("spec").asText());
            assertTrue(t.has("remaining"));
            assertFalse(t.has("stagger"));
            JsonNode ov = o.get("override");
            assertEquals("7", ov.get("settings").get("ttl").asText());
            assertTrue(Instant.parse(ov.get("expires").asText()).isAfter(Instant.now()));
            assertFalse(ov.has("profile"));
            assertEquals(1, o.get("counters").get("requests").asLong());
            assertEquals(1, o.get("counters").get("replies").asLong());
            assertEquals("2023-11-14T22:13:20Z", o.get("counters").get("last_probed").asText());

            HostEntry staggered = f.control.current().prefixes().get(IpCidr.parse("198.18.0.64/28"));
            JsonNode st = Json.entry(staggered, 0, null);
            assertEquals("1s", st.get("timeline").get("stagger").asText());
            assertTrue(st.get("override").isNull());
        }
    }

    @Test
    void flappingIsARepeatingTimelineWhoseStatesDiffer() {
        try (AdminFixture f = new AdminFixture(TIMELINES)) {
            PrefixTable<HostEntry> p = f.control.current().prefixes();
            assertTrue(Json.flaps(p.get(IpCidr.parse("198.18.0.50/32")).timeline()));
            assertFalse(Json.flaps(p.get(IpCidr.parse("198.18.0.51/32")).timeline()), "once, not over and over");
            assertFalse(Json.flaps(p.get(IpCidr.parse("198.18.0.52/32")).timeline()), "up throughout");
        }
    }

    @Test
    void countersOfAnEntryNeverProbed() {
        HostCounters c = new HostCounters();
        c.drop(HostCounters.Drop.RATE);
        c.errorSent();
        ObjectNode o = Json.counters(c);
        assertTrue(o.get("last_probed").isNull());
        assertEquals(1, o.get("unreachable").asLong());
        JsonNode dropped = o.get("dropped");
        assertEquals(HostCounters.Drop.values().length, dropped.size());
        for (HostCounters.Drop d : HostCounters.Drop.values()) {
            assertEquals(d == HostCounters.Drop.RATE ? 1 : 0, dropped.get(d.metricName()).asLong(), d.metricName());
        }
    }

    @Test
    void events() {
        Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
        ArrayNode a = Json.events(List.of(new HostEvent(at, Cause.API, "198.18.0.5/32", "state: up -> down"),
                new HostEvent(at, Cause.RELOAD, "198.18.0.6/32", "removed")));
        assertEquals(2, a.size());
        assertEquals("2026-01-02T03:04:05.678Z", a.get(0).get("time").asText());
        assertEquals("api", a.get(0).get("cause").asText());
        assertEquals("198.18.0.5/32", a.get(0).get("entry").asText());
        assertEquals("state: up -> down", a.get(0).get("change").asText());
        assertEquals("reload", a.get(1).get("cause").asText());
        assertEquals("[]", Json.events(List.of()).toString());
    }
}
