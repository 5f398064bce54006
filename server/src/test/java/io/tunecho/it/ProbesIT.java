package io.tunecho.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Probe tracking seen with the real {@code fping}: three addresses probed every 500 ms for about 6 s are reported
 * with a mean interval within 10% of that and the namespace's interface address as their source; an address of the
 * same entry that nobody probes is reported as never probed, and the entry's metric counts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProbesIT {
    private static final String TOKEN = "pr0bes-t0ken";
    private static final String BASE = "http://127.0.0.1:9471";
    private static final List<String> PROBED = List.of("198.18.61.33", "198.18.61.34", "198.18.61.35");
    private static final String UNPROBED = "198.18.61.36";
    private static final ObjectMapper JSON = new ObjectMapper();
    private TunechoProcess tunecho;
    private String fping;

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        tunecho = TunechoProcess.startWithConfig(List.of(), List.of(
                "interface: { name: tunit61, address: 198.18.61.1/24 }",
                "http: { port: 9471, token: " + TOKEN + " }",
                "hosts:",
                "  - { match: 198.18.61.32/29, ttl: 100 }"), "--transport", "epoll");
        tunecho.awaitOutput("HTTP on", 10);
        // fping's -l loops without end; -c bounds the same periodic probing: 13 probes, 500 ms apart, per target
        List<String> cmd = new ArrayList<>(List.of("fping", "-c", "13", "-p", "500", "-q"));
        cmd.addAll(PROBED);
        Netns.Result r = Netns.run(60, cmd.toArray(new String[0]));
        fping = r.output();
        assertEquals(0, r.exitCode(), "every probe answered:\n" + fping);
    }

    @AfterAll
    void stop() throws Exception {
        if (tunecho != null) {
            try {
                assertEquals(0, tunecho.terminate(), tunecho.output());
            } finally {
                tunecho.close();
            }
        }
    }

    private static String get(String path) throws Exception {
        Netns.Result r = Netns.run(30, "curl", "-s", "-f", "-m", "10", "-H", "Authorization: Bearer " + TOKEN,
                BASE + path);
        assertEquals(0, r.exitCode(), path + ": " + r.output());
        return r.output();
    }

    @Test
    void eachProbedAddressHasTheMeanIntervalAndSourceOfFping() throws Exception {
        JsonNode list = JSON.readTree(get("/api/probes?match=198.18.61.32/29"));
        List<String> addresses = new ArrayList<>();
        list.get("probes").forEach(p -> addresses.add(p.get("address").asText()));
        assertEquals(PROBED, addresses, list.toPrettyString());
        for (JsonNode p : list.get("probes")) {
            JsonNode echo = p.get("protocols").get("icmp_echo");
            assertEquals(13, echo.get("probes").asLong(), p.toPrettyString() + "\n" + fping);
            double mean = echo.get("mean_interval_ms").asDouble();
            assertTrue(Math.abs(mean - 500) <= 50, "mean interval " + mean + " ms for fping -p 500:\n"
                    + p.toPrettyString());
            assertEquals("198.18.61.1", p.get("sources").get(0).asText(), p.toPrettyString());
            assertEquals(1, p.get("sources").size());
            assertEquals("198.18.61.32/29", p.get("entry").asText());
            assertTrue(p.get("last_millis").asLong() - p.get("first_millis").asLong() >= 5500, p.toPrettyString());
        }
    }

    @Test
    void anAddressNobodyProbesIsNeverProbed() throws Exception {
        JsonNode all = JSON.readTree(get("/api/probes"));
        all.get("probes").forEach(p -> assertFalse(p.get("address").asText().equals(UNPROBED), p.toString()));
        JsonNode host = JSON.readTree(get("/api/hosts/" + UNPROBED));
        assertTrue(host.has("probes") && host.get("probes").isNull(), host.toPrettyString());
        assertEquals(13, JSON.readTree(get("/api/hosts/" + PROBED.get(0))).get("probes").get("probes").asLong());
    }

    @Test
    void theEntrysMetricsCountItsUnprobedAddresses() throws Exception {
        String metrics = get("/metrics");
        String entry = "{entry=\"198.18.61.32/29\"}";
        assertEquals(8, metric(metrics, "tunecho_host_addresses" + entry));
        assertEquals(5, metric(metrics, "tunecho_host_addresses_never_probed" + entry), "8 addresses, 3 probed");
        assertEquals(5, metric(metrics, "tunecho_host_addresses_not_probed" + entry), "probed within 60 s");
        assertEquals(39, metric(metrics, "tunecho_host_probes_total" + entry));
    }

    private static double metric(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
        assertTrue(m.find(), series + " not in:\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
