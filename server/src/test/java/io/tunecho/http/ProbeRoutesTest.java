package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunecho.hosts.ProbeTable.Protocol;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/probes} (filtered and paged) and the {@code probes} object of {@code /api/hosts/ADDRESS}. */
class ProbeRoutesTest {
    private static final int MONITOR = ip("198.18.0.1");

    private final AdminFixture fixture = new AdminFixture();
    private final AdminClient client = fixture.open();

    @AfterEach
    void close() {
        client.close();
        fixture.close();
    }

    private static int ip(String text) {
        return IpCidr.parse(text).ipv4Address();
    }

    private void probe(Protocol p, String dst, int src) {
        fixture.probes.recordIpv4(p, ip(dst), src, fixture.probeClock.currentTimeMillis());
    }

    private static List<String> addresses(JsonNode list) {
        List<String> a = new ArrayList<>();
        list.forEach(p -> a.add(p.get("address").asText()));
        return a;
    }

    @Test
    void anAddressWithItsSeriesSourcesAndEntry() {
        long start = fixture.probeClock.currentTimeMillis();
        probe(Protocol.ICMP_ECHO, "198.18.0.10", MONITOR);
        fixture.probeClock.advance(500, TimeUnit.MILLISECONDS);
        probe(Protocol.ICMP_ECHO, "198.18.0.10", MONITOR);
        fixture.probeClock.advance(700, TimeUnit.MILLISECONDS);
        probe(Protocol.ICMP_ECHO, "198.18.0.10", ip("10.1.1.1"));
        probe(Protocol.TCP_SYN, "198.18.0.10", ip("10.1.1.1"));

        AdminClient.Answer a = client.get("/api/probes?match=198.18.0.10");
        assertEquals(200, a.status());
        JsonNode j = a.json();
        assertEquals(1, j.get("total").asInt());
        assertEquals(1, j.get("matched").asInt());
        JsonNode p = j.get("probes").get(0);
        assertEquals("198.18.0.10", p.get("address").asText());
        assertEquals("198.18.0.10/32", p.get("entry").asText(), "the entry that answers it");
        assertEquals(4, p.get("probes").asLong());
        assertEquals(start, p.get("first_millis").asLong());
        assertEquals(Instant.ofEpochMilli(start).toString(), p.get("first").asText());
        assertEquals(start + 1200, p.get("last_millis").asLong());
        assertEquals(List.of("10.1.1.1", "198.18.0.1"), List.of(p.get("sources").get(0).asText(),
                p.get("sources").get(1).asText()));
        JsonNode echo = p.get("protocols").get("icmp_echo");
        assertEquals(3, echo.get("probes").asLong());
        assertEquals(700, echo.get("last_interval_ms").asLong());
        assertEquals(600, echo.get("mean_interval_ms").asLong());
        assertEquals(700, echo.get("max_interval_ms").asLong());
        JsonNode syn = p.get("protocols").get("tcp_syn");
        assertEquals(1, syn.get("probes").asLong());
        assertTrue(syn.get("mean_interval_ms").isNull(), "one probe: no interval");
        assertEquals(List.of("icmp_echo", "tcp_syn"), fieldNames(p.get("protocols")));
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void listsAPrefixInAddressOrderPaged() {
        for (String a : List.of("198.18.0.70", "198.18.0.9", "198.18.0.66", "198.18.0.200")) {
            probe(Protocol.UDP, a, MONITOR);
        }
        JsonNode all = client.get("/api/probes").json();
        assertEquals(List.of("198.18.0.9", "198.18.0.66", "198.18.0.70", "198.18.0.200"), addresses(all.get("probes")));
        assertEquals(4, all.get("matched").asInt());
        assertEquals(0, all.get("forgotten").asLong());
        assertEquals(1000, all.get("max_addresses").asInt());

        JsonNode sub = client.get("/api/probes?match=198.18.0.64/27").json();
        assertEquals(List.of("198.18.0.66", "198.18.0.70"), addresses(sub.get("probes")));
        assertEquals("198.18.0.64/27", sub.get("probes").get(0).get("entry").asText());
        assertEquals(4, sub.get("total").asInt());
        assertEquals(2, sub.get("matched").asInt());

        JsonNode page = client.get("/api/probes?offset=1&limit=2").json();
        assertEquals(List.of("198.18.0.66", "198.18.0.70"), addresses(page.get("probes")));
        assertEquals(1, page.get("offset").asInt());
        assertEquals(4, page.get("matched").asInt());
    }

    @Test
    void badQueriesAre400NamingTheField() {
        AdminClient.Answer a = client.get("/api/probes?match=198.18.0.300");
        assertEquals(400, a.status());
        assertEquals("match", a.json().get("field").asText());
        assertEquals("limit", client.get("/api/probes?limit=0").json().get("field").asText());
        assertEquals(405, client.send(io.netty.handler.codec.http.HttpMethod.POST, "/api/probes", null).status());
    }

    @Test
    void theHostOfAnAddressHasItsProbesOrNull() {
        probe(Protocol.ICMP_ECHO, "198.18.0.70", MONITOR);
        JsonNode probed = client.get("/api/hosts/198.18.0.70").json();
        assertEquals(1, probed.get("probes").get("probes").asLong());
        assertEquals("198.18.0.70", probed.get("probes").get("address").asText());
        JsonNode never = client.get("/api/hosts/198.18.0.71").json();
        assertTrue(never.has("probes") && never.get("probes").isNull(), never.toString());
    }

    @Test
    void needsTheToken() {
        try (AdminClient c = fixture.open(fixture.routes(AdminFixture.TOKEN, false))) {
            assertEquals(401, c.get("/api/probes").status());
        }
    }
}
