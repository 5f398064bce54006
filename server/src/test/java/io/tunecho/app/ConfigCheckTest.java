package io.tunecho.app;

import io.tunecho.config.CommandLine;
import io.tunecho.config.ConfigException;
import io.tunecho.config.Transport;
import io.tunecho.config.TunechoConfig;
import io.tunecho.hosts.HostTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --check}: a real echo request through the real pipeline, without a device. */
class ConfigCheckTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int check(String... args) throws ConfigException {
        return ConfigCheck.run(CommandLine.parse(args).config(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theDefaults() throws Exception {
        assertEquals(0, check(), err());
        assertEquals("tunecho: configuration OK (tun0 198.18.0.1/24, " + autoChoice() + ", answers 198.18.0.0/24 except "
                + "198.18.0.1; echo request to 198.18.0.2 answered)\n", out());
        assertEquals("", err());
    }

    @Test
    void aRoutedPrefixAndAUser() throws Exception {
        assertEquals(0, check("--address", "10.9.0.1/24", "--answer", "203.0.113.0/24", "--user", "nobody"), err());
        assertTrue(out().startsWith("tunecho: configuration OK (tun0 10.9.0.1/24, user nobody (uid "), out());
        assertTrue(out().endsWith("), " + autoChoice() + ", answers 203.0.113.0/24 (routed: outside 10.9.0.0/24) except 10.9.0.1; "
                + "echo request to 203.0.113.1 "
                + "answered)\n"), out());
    }

    @Test
    void aScenarioIsCheckedAndCounted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("drill.yaml");
        Files.writeString(file, "name: drill\nsteps:\n  - { at: 1s, match: 198.18.0.30, state: down, for: 5s, "
                + "expect: { alert: 5s, resolve: 5s } }\n");
        assertEquals(0, check("--scenario", file.toString()), err());
        assertTrue(out().endsWith(" answered; scenario drill: 1 step, 2 expectations)\n"), out());
        Files.writeString(file, "name: drill\nsteps:\n  - { at: 1s, match: 198.18.0.30, for: 5s, "
                + "expect: { resolve: 5s } }\n");
        assertTrue(assertThrows(ConfigException.class, () -> check("--scenario", file.toString())).getMessage()
                .startsWith(file + ":3: scenario.steps[0].expect.resolve needs an alert expectation"));
    }

    @Test
    void aSingleAddress() throws Exception {
        assertEquals(0, check("--address", "10.9.0.1/32", "--answer", "192.0.2.7"), err());
        assertTrue(out().contains("echo request to 192.0.2.7 answered"), out());
    }

    /** The default transport, auto, as the server would choose it here: the check reports the same choice. */
    private static String autoChoice() {
        return TransportChoice.of(Transport.AUTO).toString();
    }

    @Test
    void explicitEpoll() throws Exception {
        assertEquals(0, check("--transport", "epoll"), err());
        assertTrue(out().contains(" 198.18.0.1/24, epoll, answers "), out());
    }

    @Test
    void ioUring() throws Exception {
        assertEquals(0, check("--transport", "io_uring"), err());
        assertTrue(out().contains(", io_uring, ") || out().contains(", epoll, "), out());
    }

    @Test
    void anUnknownUserIsAConfigurationError() throws Exception {
        assertEquals(2, check("--user", "tunecho-no-such-user"));
        assertEquals("", out());
        assertTrue(err().startsWith("tunecho: unknown user 'tunecho-no-such-user' for --user; "), err());
    }

    @Test
    void aHostWhoseSettingsHoldItsReplyIsCheckedAsAPlainHost(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("delayed.yaml");
        Files.writeString(yaml, "hosts:\n  - { match: 198.18.0.2, state: down }\n");
        assertEquals(0, check("--config", yaml.toString()), err());
        assertTrue(out().contains("echo request to 198.18.0.2 answered as a host without settings (its own held the "
                + "reply back: the pipeline did not answer an echo request to 198.18.0.2 (replied=0 dropped=1 "
                + "(host_down=1)))"), out());
    }

    @Test
    void aDelayedReplyToo(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("delayed.yaml");
        Files.writeString(yaml, "profiles:\n  default: { delay: 10ms }\n");
        assertEquals(0, check("--config", yaml.toString()), err());
        assertTrue(out().contains("echo request to 198.18.0.2 answered as a host without settings (its own held the "
                + "reply back: the pipeline did not answer an echo request to 198.18.0.2 (replied=0 dropped=0))"),
                out());
    }

    @Test
    void thePipelineRefusesWhatIsNotAnswered() {
        HostTable answers = HostTable.forInterface(TunechoConfig.defaults().interfaceAddress(), java.util.List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigCheck.echoThroughPipeline(0xC6120001, 0xC6120001, answers));
        assertTrue(e.getMessage().startsWith("the pipeline did not answer an echo request to 198.18.0.1 (replied=0 "
                + "dropped=1 (not_answered=1))"), e.getMessage());
    }

    @Test
    void throughMain() {
        assertEquals(0, Main.run(new String[] {"--check"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(out().startsWith("tunecho: configuration OK ("), out());
    }
}
