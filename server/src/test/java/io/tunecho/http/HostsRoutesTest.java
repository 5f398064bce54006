package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostState;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/hosts} (the list, filtered and paged) and {@code /api/hosts/MATCH} (GET one, PUT and DELETE overrides). */
class HostsRoutesTest {
    private final AdminFixture fixture = new AdminFixture();
    private final AdminClient client = fixture.open();

    @AfterEach
    void close() {
        client.close();
        fixture.close();
    }

    private static List<String> matches(JsonNode hosts) {
        List<String> m = new ArrayList<>();
        hosts.forEach(h -> m.add(h.get("match").asText()));
        return m;
    }

    @Test
    void listsEveryEntry() {
        AdminClient.Answer a = client.get("/api/hosts");
        assertEquals(200, a.status());
        assertEquals(Response.JSON, a.contentType());
        JsonNode j = a.json();
        List<HostEntry> entries = fixture.control.current().entries();
        assertEquals(entries.size(), j.get("total").asInt());
        assertEquals(entries.size(), j.get("matched").asInt());
        assertEquals(0, j.get("offset").asInt());
        assertEquals(entries.stream().map(e -> e.match().toString()).toList(), matches(j.get("hosts")));
        assertFalse(j.has("answered_by"), "only an address query says which entry answers");
        JsonNode far = j.get("hosts").get(matches(j.get("hosts")).indexOf("198.18.0.10/32"));
        assertEquals("far-away", far.get("profile").asText());
        assertEquals("up", far.get("state").asText());
        assertEquals("120ms", far.get("settings").get("delay").asText());
        assertTrue(far.get("override").isNull());
        assertEquals(0, far.get("counters").get("requests").asLong());
    }

    @Test
    void headListsWithoutABody() {
        AdminClient.Answer a = client.send(HttpMethod.HEAD, "/api/hosts", null);
        assertEquals(200, a.status());
        assertEquals("", a.body());
    }

    @Test
    void filtersByAddressAndSaysWhichEntryAnswers() {
        JsonNode j = client.get("/api/hosts?q=198.18.0.70").json();
        assertEquals(List.of("198.18.0.0/24", "198.18.0.64/27"), matches(j.get("hosts")), "every entry that holds it");
        assertEquals(2, j.get("matched").asInt());
        assertEquals("198.18.0.64/27", j.get("answered_by").asText(), "the most specific");
        assertTrue(client.get("/api/hosts?q=203.0.113.5").json().get("answered_by").isNull());
    }

    @Test
    void filtersByPrefixAndByText() {
        JsonNode prefix = client.get("/api/hosts?q=198.18.0.64/26").json();
        assertEquals(List.of("198.18.0.64/27", "198.18.0.99/32"), matches(prefix.get("hosts")));
        JsonNode text = client.get("/api/hosts?q=far-").json();
        assertEquals(List.of("198.18.0.10/32"), matches(text.get("hosts")));
        assertEquals(fixture.control.current().entries().size(), text.get("total").asInt());
        assertEquals(1, text.get("matched").asInt());
    }

    @Test
    void pages() {
        List<String> all = matches(client.get("/api/hosts").json().get("hosts"));
        JsonNode page = client.get("/api/hosts?offset=1&limit=2").json();
        assertEquals(all.subList(1, 3), matches(page.get("hosts")));
        assertEquals(1, page.get("offset").asInt());
        assertEquals(all.size(), page.get("matched").asInt(), "matched counts past the page");
    }

    @Test
    void refusesBadPagingNamingTheParameter() {
        AdminClient.Answer zero = client.get("/api/hosts?limit=0");
        assertEquals(400, zero.status());
        assertEquals("limit", zero.field());
        assertEquals("limit 0 is out of range; give 1..100000", zero.error());
        AdminClient.Answer word = client.get("/api/hosts?offset=first");
        assertEquals(400, word.status());
        assertEquals("offset", word.field());
        assertEquals("offset 'first' is not a number", word.error());
        assertEquals("offset", client.get("/api/hosts?offset=-1").field());
    }

    @Test
    void listRefusesOtherMethods() {
        assertEquals(405, client.send(HttpMethod.POST, "/api/hosts", "{}").status());
        assertEquals(405, client.send(HttpMethod.PUT, "/api/hosts", "{}").status());
        assertEquals(405, client.send(HttpMethod.DELETE, "/api/hosts", null).status());
    }

    @Test
    void getsTheEntryThatAnswersAnAddress() {
        AdminClient.Answer a = client.get("/api/hosts/198.18.0.70");
        assertEquals(200, a.status());
        JsonNode j = a.json();
        assertEquals("198.18.0.70", j.get("address").asText());
        assertEquals("198.18.0.64/27", j.get("match").asText());
        assertEquals("128", j.get("settings").get("ttl").asText());
        assertEquals("down", client.get("/api/hosts/198.18.0.99").json().get("state").asText());
    }

    @Test
    void anAddressNotAnsweredIs404() {
        AdminClient.Answer outside = client.get("/api/hosts/203.0.113.5");
        assertEquals(404, outside.status());
        assertEquals("203.0.113.5 is not answered", outside.error());
        AdminClient.Answer own = client.get("/api/hosts/198.18.0.1");
        assertEquals(404, own.status());
        assertTrue(own.error().startsWith("198.18.0.1 is not answered ("), own.error());
    }

    @Test
    void getRefusesAPrefixOrNoAddressNamingMatch() {
        AdminClient.Answer prefix = client.get("/api/hosts/198.18.0.64%2F27");
        assertEquals(400, prefix.status());
        assertEquals("match", prefix.field());
        assertTrue(prefix.error().contains("is a prefix"), prefix.error());
        AdminClient.Answer junk = client.get("/api/hosts/not-an-address");
        assertEquals(400, junk.status());
        assertEquals("match", junk.field());
    }

    @Test
    void putOverridesAndGetShowsIt() {
        AdminClient.Answer put = client.send(HttpMethod.PUT, "/api/hosts/198.18.0.70",
                "{\"state\": \"down\", \"delay\": \"5ms\"}");
        assertEquals(200, put.status(), put.body());
        JsonNode p = put.json();
        assertEquals("198.18.0.70/32", p.get("match").asText());
        assertEquals("down", p.get("state").asText());
        assertTrue(p.get("override").get("expires").isNull());

        HostEntry e = fixture.control.current().lookupIpv4(IpCidr.parse("198.18.0.70").ipv4Address());
        assertEquals(IpCidr.parse("198.18.0.70/32"), e.match());
        assertEquals(HostState.DOWN, e.baseBehaviour().state());
        assertEquals(1, fixture.control.overrides().size());

        JsonNode got = client.get("/api/hosts/198.18.0.70").json();
        assertEquals("198.18.0.70/32", got.get("match").asText());
        assertEquals("down", got.get("state").asText());
        assertEquals("5ms", got.get("override").get("settings").get("delay").asText());
        assertEquals("up", client.get("/api/hosts/198.18.0.71").json().get("state").asText(),
                "the rest of the /27 as it was");
    }

    @Test
    void putSetsHopsWithAChoiceWhoseRoutersAllAnswer() {
        AdminClient.Answer put = client.send(HttpMethod.PUT, "/api/hosts/198.18.0.70",
                "{\"hops\": [\"198.18.0.200\", {\"any\": [\"198.18.0.201\", \"198.18.0.202\"], \"by\": \"packet\"}]}");
        assertEquals(200, put.status(), put.body());
        JsonNode got = client.get("/api/hosts/198.18.0.70").json();
        assertEquals("[198.18.0.200, {any: [198.18.0.201, 198.18.0.202], by: packet}]",
                got.get("override").get("settings").get("hops").asText());
        for (String router : List.of("198.18.0.200", "198.18.0.201", "198.18.0.202")) {
            assertTrue(fixture.control.current().lookupIpv4(IpCidr.parse(router).ipv4Address()).isHost(), router);
        }
        AdminClient.Answer empty = client.send(HttpMethod.PUT, "/api/hosts/198.18.0.70",
                "{\"hops\": [{\"any\": []}]}");
        assertEquals(400, empty.status());
        assertEquals("hops[0].any", empty.field());
        assertTrue(empty.error().contains("hops[0].any must be a list of one or more router addresses"), empty.error());
    }

    @Test
    void putOfAPrefixForAWhileExpires() {
        AdminClient.Answer put = client.send(HttpMethod.PUT, "/api/hosts/198.18.0.64%2F27",
                "{\"ttl\": 200, \"for\": \"1h\"}");
        assertEquals(200, put.status(), put.body());
        assertFalse(put.json().get("override").get("expires").isNull());
        assertEquals("200", client.get("/api/hosts/198.18.0.66").json().get("settings").get("ttl").asText());
        assertTrue(fixture.control.overrides().get(IpCidr.parse("198.18.0.64/27")).expires());
    }

    @Test
    void putRefusesBadBodiesNamingTheField() {
        String uri = "/api/hosts/198.18.0.40";
        AdminClient.Answer unknown = client.send(HttpMethod.PUT, uri, "{\"stat\": \"down\"}");
        assertEquals(400, unknown.status());
        assertEquals("stat", unknown.field());
        AdminClient.Answer value = client.send(HttpMethod.PUT, uri, "{\"loss\": \"120%\"}");
        assertEquals(400, value.status());
        assertEquals("loss", value.field());
        AdminClient.Answer huge = client.send(HttpMethod.PUT, uri, "{\"ttl\": 1e309}");
        assertEquals(400, huge.status());
        assertEquals("ttl", huge.field());
        AdminClient.Answer duration = client.send(HttpMethod.PUT, uri, "{\"state\": \"down\", \"for\": \"0s\"}");
        assertEquals(400, duration.status());
        assertEquals("for", duration.field());
        AdminClient.Answer match = client.send(HttpMethod.PUT, "/api/hosts/not-an-address", "{\"state\": \"down\"}");
        assertEquals(400, match.status());
        assertEquals("match", match.field());
        AdminClient.Answer profile = client.send(HttpMethod.PUT, uri, "{\"profile\": \"nope\"}");
        assertEquals(400, profile.status());
        assertTrue(profile.error().contains("nope"), profile.error());
        assertTrue(fixture.control.overrides().isEmpty(), "nothing refused was applied");
    }

    @Test
    void putRefusesWhatIsNotAJsonObject() {
        String uri = "/api/hosts/198.18.0.40";
        AdminClient.Answer none = client.send(HttpMethod.PUT, uri, null);
        assertEquals(400, none.status());
        assertEquals("the request needs a JSON body", none.error());
        assertNull(none.field());
        AdminClient.Answer broken = client.send(HttpMethod.PUT, uri, "{not json");
        assertEquals(400, broken.status());
        assertTrue(broken.error().startsWith("the body is not valid JSON: "), broken.error());
        AdminClient.Answer array = client.send(HttpMethod.PUT, uri, "[1, 2]");
        assertEquals(400, array.status());
        assertTrue(array.error().startsWith("the body must be a JSON object"), array.error());
        assertTrue(fixture.control.overrides().isEmpty());
    }

    @Test
    void deleteRemovesAnOverrideOnce() {
        assertEquals(200, client.send(HttpMethod.PUT, "/api/hosts/198.18.0.64%2F27", "{\"ttl\": 200}").status());
        AdminClient.Answer del = client.send(HttpMethod.DELETE, "/api/hosts/198.18.0.64%2F27", null);
        assertEquals(200, del.status());
        assertEquals("override of 198.18.0.64/27 removed", del.json().get("result").asText());
        assertTrue(fixture.control.overrides().isEmpty());
        assertEquals("128", client.get("/api/hosts/198.18.0.66").json().get("settings").get("ttl").asText());
        AdminClient.Answer again = client.send(HttpMethod.DELETE, "/api/hosts/198.18.0.64%2F27", null);
        assertEquals(404, again.status());
        assertEquals("no override of 198.18.0.64/27", again.error());
        assertEquals("match", client.send(HttpMethod.DELETE, "/api/hosts/nope", null).field());
    }

    @Test
    void oneHostRefusesOtherMethods() {
        assertEquals(405, client.send(HttpMethod.POST, "/api/hosts/198.18.0.10", "{}").status());
        assertEquals(405, client.send(HttpMethod.PATCH, "/api/hosts/198.18.0.10", "{}").status());
    }
}
