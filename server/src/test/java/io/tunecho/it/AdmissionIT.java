package io.tunecho.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP server under a crowd of idle connections (what one client that keeps opening them does): 2,000 TCP
 * connections that send nothing, far more than the 128 the server keeps. The health check, the API and an
 * Alertmanager webhook are still answered, because each new connection closes the one idle longest; the oldest of the
 * crowd are the ones closed, and the metric counts them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionIT {
    private static final String TOKEN = "adm1ssion-t0ken";
    private static final int PORT = 9481;
    private static final String BASE = "http://127.0.0.1:" + PORT;
    private static final int CROWD = 2000;
    /** AdminServer.MAX_CONNECTIONS. */
    private static final int MAX_CONNECTIONS = 128;
    private static final String ALERTMANAGER_PAYLOAD =
            "server/src/test/resources/io/tunecho/drill/alertmanager-firing.json";
    private static final Pattern EVICTED = Pattern.compile("(?m)^tunecho_http_connections_evicted_total ([0-9.eE+]+)$");

    private TunechoProcess tunecho;

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        tunecho = TunechoProcess.startWithConfig(List.of(), List.of(
                "interface: { name: tunit57, address: 198.18.57.1/24 }",
                "http: { address: 127.0.0.1, port: " + PORT + ", token: " + TOKEN + " }",
                "hosts:",
                "  - { match: 198.18.57.10 }"));
        tunecho.awaitOutput("HTTP on", 10);
    }

    @AfterAll
    void stop() throws Exception {
        if (tunecho != null) {
            tunecho.stop();
        }
    }

    /**
     * curl, as a scraper or a webhook is: a connection of its own per request. {@code -w} appends the status code on
     * a line of its own.
     */
    private static String[] curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-m", "10", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        String out = Netns.run(30, cmd.toArray(new String[0])).output();
        int nl = out.lastIndexOf('\n');
        return new String[] {out.substring(0, nl), out.substring(nl + 1).trim()};
    }

    private static double evicted() throws Exception {
        String[] metrics = curl(BASE + "/metrics");
        assertEquals("200", metrics[1], metrics[0]);
        Matcher m = EVICTED.matcher(metrics[0]);
        assertTrue(m.find(), metrics[0]);
        return Double.parseDouble(m.group(1));
    }

    /** Whether the server closed the socket: it reads the end of the stream, or nothing within {@code millis}. */
    private static boolean closedByServer(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        }
    }

    @Test
    void aCrowdOfIdleConnectionsLocksNothingOut() throws Exception {
        assertEquals(0.0, evicted(), "nothing evicted yet");
        List<Socket> crowd = new ArrayList<>(CROWD);
        try {
            for (int i = 0; i < CROWD; i++) {
                Socket s = new Socket();
                crowd.add(s);
                s.connect(new InetSocketAddress("127.0.0.1", PORT), 10_000);
            }
            // curl's connection queues behind the crowd's: once it is answered, the whole crowd has been admitted.
            String[] health = curl(BASE + "/health");
            assertEquals("200", health[1], health[0]);
            assertTrue(health[0].contains("answering"), health[0]);
            String[] hosts = curl("-H", "Authorization: Bearer " + TOKEN, BASE + "/api/hosts");
            assertEquals("200", hosts[1], hosts[0]);
            assertTrue(hosts[0].contains("198.18.57.10"), hosts[0]);
            // Alertmanager's webhook, a payload it sent (its instance label moved to this test's host)
            String webhook = Files.readString(Path.of(ALERTMANAGER_PAYLOAD)).replace("198.18.0.30", "198.18.57.10");
            String[] alert = curl("-X", "POST", "-H", "Authorization: Bearer " + TOKEN, "-H",
                    "Content-Type: application/json", "-H", "User-Agent: Alertmanager/0.25.0", "--data-binary", webhook,
                    BASE + "/api/alerts");
            assertEquals("200", alert[1], alert[0]);
            assertEquals("[\"198.18.57.10\"]", new ObjectMapper().readTree(alert[0]).get("alerts").get(0)
                    .get("addresses").toString(), alert[0]);

            int beyondTheLimit = CROWD - MAX_CONNECTIONS;
            double evicted = Poll.until(20, AdmissionIT::evicted, n -> n >= beyondTheLimit);
            assertTrue(evicted >= beyondTheLimit, "evicted: " + evicted);
            for (int i = 0; i < beyondTheLimit; i++) {
                assertTrue(closedByServer(crowd.get(i), 5000), "connection " + i + " of the crowd is still open");
            }
            for (int i = CROWD - MAX_CONNECTIONS / 2; i < CROWD; i++) {
                assertFalse(closedByServer(crowd.get(i), 20), "connection " + i + ", among the newest, was closed");
            }
        } finally {
            for (Socket s : crowd) {
                s.close();
            }
        }
    }
}
