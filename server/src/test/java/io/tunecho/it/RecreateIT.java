package io.tunecho.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An interface deleted under tunecho: /health says 503, and with interface.recreate it comes back with its routes. */
class RecreateIT {

    @BeforeEach
    void guard() {
        Netns.assertPrivateNamespace();
    }

    private static int received(String address) throws Exception {
        return PingOutput.parse(Netns.run(30, "ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", address).output())
                .received();
    }

    private static String health() throws Exception {
        return Netns.run(30, "curl", "-s", "-m", "5", "-w", "\n%{http_code}", "http://127.0.0.1:9465/health").output();
    }

    @Test
    void aDeletedInterfaceIsReportedAndCreatedAgain(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tunecho.yaml");
        Files.writeString(config, String.join("\n",
                "interface: { name: tunit51, address: 198.18.51.1/24, recreate: true }",
                "http: { port: 9465 }",
                "hosts:",
                "  - { match: 203.0.113.0/28, ttl: 200 }",
                ""));
        try (TunechoProcess t = TunechoProcess.start("--config", config.toString())) {
            t.awaitOutput("HTTP on", 10);
            assertEquals(2, received("203.0.113.5"));
            assertTrue(health().endsWith("200"));
            Netns.run(10, "ip", "link", "del", "tunit51").assertSuccess();
            String down = health();
            assertTrue(down.endsWith("503") && down.contains("\"status\" : \"down\""), down);
            t.awaitOutput("re-created tunit51", 15);
            assertTrue(health().endsWith("200"));
            assertEquals(2, received("198.18.51.7"));
            assertEquals(2, received("203.0.113.5"), "the routes of host entries come back too");
            assertEquals(0, t.terminate(), t.output());
        }
    }

    @Test
    void withoutRecreateItStopsWithExitCode1() throws Exception {
        try (TunechoProcess t = TunechoProcess.start("--interface", "tunit52", "--address", "198.18.52.1/24")) {
            Netns.run(10, "ip", "link", "del", "tunit52").assertSuccess();
            assertEquals(1, t.waitForExit(20), t.output());
            assertTrue(t.output().contains("went away"), t.output());
        }
    }
}
