package io.tunecho.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunecho.config.ConfigLoader;
import io.tunecho.config.TunechoConfig;
import io.tunecho.control.Cause;
import io.tunecho.control.EventLog;
import io.tunecho.control.HostEvent;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tunecho.drill.AlertNotice.Status.FIRING;
import static io.tunecho.drill.AlertNotice.Status.RESOLVED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alert intake: Alertmanager's webhook payloads as Alertmanager 0.25 sent them (captured from the real program,
 * {@code alertmanager-*.json}), the small JSON form, the answered addresses a notice concerns, the events, the
 * listeners, the counts, and the bodies refused with the field named.
 */
class AlertsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Answered: 198.18.0.0/26 (so 198.18.0.3 and .30, not .100) and 2001:db8::/120. */
    private static final String YAML = String.join("\n",
            "interface: { address: 198.18.0.1/24, address6: '2001:db8::1/64' }",
            "answer: [198.18.0.0/26, '2001:db8::/120']",
            "hosts:",
            "  - { match: 198.18.0.30, state: down }",
            "");

    private final ManualClock clock = new ManualClock();
    private final EventLog events = events();
    private final HostTable table = table();
    private final Alerts alerts = new Alerts(() -> table, events, clock);

    @AfterEach
    void close() {
        events.close();
    }

    @Test
    void alertmanagerPayloadsAsAlertmanagerSendsThem() {
        clock.setCurrentTimeMillis(1_800_000_000_000L);
        List<AlertNotice> fired = alerts.receive(fixture("alertmanager-firing.json"));
        assertEquals(2, fired.size(), "one notice per alert");
        AlertNotice v4 = fired.get(0);
        assertEquals(FIRING, v4.status());
        assertEquals("HostDown", v4.name());
        assertEquals(List.of(ip("198.18.0.30")), v4.addresses(), "instance 198.18.0.30:80, a host that is down");
        assertEquals(Map.of("alertname", "HostDown", "instance", "198.18.0.30:80", "job", "blackbox",
                "severity", "page"), v4.labels());
        assertEquals(1_800_000_000_000L, v4.receivedMillis());
        assertEquals("alertmanager", v4.source());
        assertEquals(List.of(ip("2001:db8::5")), fired.get(1).addresses(), "instance http://[2001:db8::5]/");

        clock.advance(12, TimeUnit.SECONDS);
        List<AlertNotice> resolved = alerts.receive(fixture("alertmanager-resolved.json"));
        assertEquals(List.of(RESOLVED, RESOLVED), resolved.stream().map(AlertNotice::status).toList());
        assertEquals(1_800_000_012_000L, resolved.get(0).receivedMillis());
        assertEquals(List.of(ip("198.18.0.30")), resolved.get(0).addresses());
    }

    @Test
    void eachNoticeIsAnAlertEvent() {
        alerts.receive(fixture("alertmanager-firing.json"));
        alerts.receive(json("{\"status\": \"resolved\", \"name\": \"Slow\", \"address\": \"198.18.0.100\"}"));
        List<HostEvent> recorded = events.recent(10);
        assertEquals(3, recorded.size());
        HostEvent first = recorded.get(0);
        assertEquals(Cause.ALERT, first.cause());
        assertEquals("198.18.0.30", first.entry());
        assertEquals("alert HostDown firing (alertmanager)", first.change());
        assertEquals(Instant.ofEpochMilli(clock.currentTimeMillis()), first.time());
        assertEquals("2001:db8::5", recorded.get(1).entry());
        HostEvent none = recorded.get(2);
        assertEquals("", none.entry());
        assertEquals("alert Slow resolved (json); concerns no answered address (198.18.0.100 not answered)",
                none.change());
    }

    @Test
    void labelsConcernEveryAnsweredAddressWrittenWhole() {
        List<AlertNotice> got = alerts.receive(json("{\"version\": \"4\", \"status\": \"firing\", \"alerts\": ["
                + alert("firing", "A", "\"instance\": \"198.18.0.30:9115\", \"target\": \"icmp://198.18.0.3\"")
                + "," + alert("firing", "B", "\"instance\": \"[2001:db8::5]:80\", \"job\": \"198.18.0.300\"")
                + "," + alert("firing", "C", "\"instance\": \"198.18.0.100\", \"target\": \"2001:db8::1:0\"")
                + "," + alert("resolved", "D", "\"instance\": \"http://198.18.0.30/\", \"x\": \"198.18.0.30\"")
                + "]}"));
        assertEquals(List.of(ip("198.18.0.30"), ip("198.18.0.3")), got.get(0).addresses());
        assertEquals(List.of(ip("2001:db8::5")), got.get(1).addresses(), "198.18.0.300 is not an address");
        assertEquals(List.of(), got.get(2).addresses(), "neither is answered");
        assertEquals(List.of(ip("198.18.0.30")), got.get(3).addresses(), "once, though in two labels");
        assertEquals(RESOLVED, got.get(3).status(), "each alert has its own status");
        assertEquals("198.18.0.30, 198.18.0.3", events.recent(4).get(0).entry());
    }

    @Test
    void theSmallForm() {
        AlertNotice one = alerts.receive(json("{\"status\": \"firing\", \"name\": \"HostDown\", "
                + "\"address\": \"198.18.0.30\"}")).get(0);
        assertEquals(FIRING, one.status());
        assertEquals("HostDown", one.name());
        assertEquals(List.of(ip("198.18.0.30")), one.addresses());
        assertEquals(Map.of(), one.labels());
        assertEquals("json", one.source());
        AlertNotice many = alerts.receive(json("{\"status\": \"RESOLVED\", \"name\": \"Lossy\", "
                + "\"address\": \"198.18.0.3:443\", \"addresses\": [\"http://[2001:db8::5]/\", \"198.18.0.100\"], "
                + "\"labels\": {\"severity\": \"warning\"}}")).get(0);
        assertEquals(RESOLVED, many.status());
        assertEquals(List.of(ip("198.18.0.3"), ip("2001:db8::5")), many.addresses(), "198.18.0.100 is not answered");
        assertEquals(Map.of("severity", "warning"), many.labels());
        AlertNotice nowhere = alerts.receive(json("{\"status\": \"firing\", \"name\": \"Everything\"}")).get(0);
        assertEquals(List.of(), nowhere.addresses());
        assertEquals("alert Everything firing (json); concerns no answered address", events.recent(1).get(0).change());
    }

    @Test
    void badBodiesAreRefusedNamingTheFieldAndRecordNothing() {
        refused("[]", null, "the body must be a JSON object");
        refused("{\"name\": \"HostDown\"}", "status", "status is required: \"firing\" or \"resolved\"");
        refused("{\"status\": \"burning\", \"name\": \"HostDown\"}", "status",
                "status 'burning' is neither \"firing\" nor \"resolved\"");
        refused("{\"status\": \"firing\"}", "name", "name is required");
        refused("{\"status\": \"firing\", \"name\": \"\"}", "name", "name is required");
        refused("{\"status\": \"firing\", \"name\": \"X\", \"address\": \"198.18.0.300\"}", "address",
                "address \"198.18.0.300\" is not an IP address");
        refused("{\"status\": \"firing\", \"name\": \"X\", \"addresses\": \"198.18.0.30\"}", "addresses",
                "addresses must be an array");
        refused("{\"status\": \"firing\", \"name\": \"X\", \"addresses\": [\"198.18.0.30\", 7]}", "addresses[1]",
                "addresses[1] 7 is not an IP address");
        refused("{\"status\": \"firing\", \"name\": \"X\", \"adress\": \"198.18.0.30\"}", "adress",
                "unknown key 'adress'");
        refused("{\"status\": \"firing\", \"name\": \"X\", \"labels\": {\"a\": {}}}", "labels.a",
                "labels.a must be a string");
        refused("{\"alerts\": {}}", "alerts", "alerts must be an array");
        refused("{\"alerts\": [" + alert("firing", "A", "\"instance\": \"198.18.0.30\"") + ", 3]}", "alerts[1]",
                "alerts[1] must be an object");
        refused("{\"alerts\": [{\"status\": \"firing\"}]}", "alerts[0].labels", "alerts[0].labels must be an object");
        refused("{\"alerts\": [{\"status\": \"firing\", \"labels\": {\"instance\": \"198.18.0.30\"}}]}",
                "alerts[0].labels.alertname", "alerts[0].labels has no alertname");
        refused("{\"alerts\": [{\"labels\": {\"alertname\": \"A\"}}]}", "alerts[0].status",
                "alerts[0].status is required");
        assertEquals(0, events.count(), "nothing was recorded");
        assertEquals(List.of(), alerts.recent(10));
        assertEquals(0, alerts.received(FIRING));
    }

    @Test
    void listenersHearEachNoticeInOrderAndOneThatFailsStopsNoOther() {
        List<String> heard = new ArrayList<>();
        alerts.addListener(n -> {
            throw new IllegalStateException("a broken listener");
        });
        alerts.addListener(n -> heard.add(n.name() + " " + n.status() + " " + n.addresses()));
        alerts.receive(fixture("alertmanager-firing.json"));
        alerts.receive(json("{\"status\": \"resolved\", \"name\": \"HostDown\", \"address\": \"198.18.0.30\"}"));
        assertEquals(List.of("HostDown FIRING [198.18.0.30/32]", "HostDown FIRING [2001:db8::5/128]",
                "HostDown RESOLVED [198.18.0.30/32]"), heard);
    }

    @Test
    void countsAndTheRecentNoticesNewestFirst() {
        alerts.receive(fixture("alertmanager-firing.json"));
        alerts.receive(fixture("alertmanager-resolved.json"));
        alerts.receive(json("{\"status\": \"firing\", \"name\": \"Last\"}"));
        assertEquals(3, alerts.received(FIRING));
        assertEquals(2, alerts.received(RESOLVED));
        List<AlertNotice> recent = alerts.recent(2);
        assertEquals(List.of("Last", "HostDown"), recent.stream().map(AlertNotice::name).toList());
        assertEquals(RESOLVED, recent.get(1).status());
        assertEquals(5, alerts.recent(100).size());
    }

    @Test
    void keepsTheLastThousand() {
        for (int i = 0; i < Alerts.KEEP + 5; i++) {
            alerts.receive(json("{\"status\": \"firing\", \"name\": \"A" + i + "\"}"));
        }
        List<AlertNotice> all = alerts.recent(Integer.MAX_VALUE);
        assertEquals(Alerts.KEEP, all.size());
        assertEquals("A" + (Alerts.KEEP + 4), all.get(0).name());
        assertEquals("A5", all.get(all.size() - 1).name());
        assertEquals(Alerts.KEEP + 5, alerts.received(FIRING));
    }

    private void refused(String body, String field, String message) {
        Alerts.BadAlert e = assertThrows(Alerts.BadAlert.class, () -> alerts.receive(json(body)), body);
        assertEquals(field, e.field(), body);
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    private static String alert(String status, String name, String labels) {
        return "{\"status\": \"" + status + "\", \"labels\": {\"alertname\": \"" + name + "\", " + labels + "}}";
    }

    private static IpCidr ip(String text) {
        return IpCidr.parse(text);
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A payload Alertmanager sent (see the test resources). */
    static JsonNode fixture(String name) {
        try (InputStream in = AlertsTest.class.getResourceAsStream(name)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EventLog events() {
        try {
            return new EventLog(2000, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HostTable table() {
        try {
            TunechoConfig c = ConfigLoader.load(YAML, "tunecho.yaml", TunechoConfig.defaults());
            c.validate();
            return HostTable.build(c.hostConfig(), null, clock);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
