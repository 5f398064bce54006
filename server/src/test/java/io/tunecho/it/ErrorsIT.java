package io.tunecho.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The errors a user meets, each a single line on stderr that names the fix: exit code 2 for configuration and
 * usage, 1 for what goes wrong at run time. Never a stack trace.
 */
class ErrorsIT {

    @BeforeEach
    void guard() {
        Netns.assertPrivateNamespace();
    }

    /** Runs tunecho (optionally under a wrapper command) and returns its exit code and stderr. */
    private static Netns.Result tunecho(List<String> wrapper, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(Netns.tunechoCommand(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tunecho did not exit: " + cmd);
        }
        return new Netns.Result(p.exitValue(), new String(err, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void assertOneLine(Netns.Result r, int exitCode, String... mustContain) {
        assertEquals(exitCode, r.exitCode(), r.output());
        String[] lines = r.output().strip().split("\n");
        assertEquals(1, lines.length, "expected one line on stderr:\n" + r.output());
        assertFalse(r.output().contains("Exception") || r.output().contains("\tat "), r.output());
        for (String s : mustContain) {
            assertTrue(r.output().contains(s), "'" + s + "' missing from: " + r.output());
        }
    }

    @Test
    void unknownConfigKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "interface:\n  nmae: tunit20\n");
        assertOneLine(tunecho(List.of(), "--config", file.toString()), 2, "nmae", ":2");
    }

    @Test
    void badCidr() throws Exception {
        assertOneLine(tunecho(List.of(), "--interface", "tunit21", "--address", "198.18.0.300/24"), 2, "198.18.0.300");
    }

    @Test
    void mtuOutOfRange() throws Exception {
        assertOneLine(tunecho(List.of(), "--interface", "tunit22", "--mtu", "20"), 2, "mtu");
    }

    @Test
    void unknownOption() throws Exception {
        assertOneLine(tunecho(List.of(), "--interfcae", "tunit23"), 2, "--interfcae", "--help");
    }

    @Test
    void anInterfaceNameThatLinuxRefusesIsAUsageError() throws Exception {
        assertOneLine(tunecho(List.of(), "--interface", "."), 2, "--interface '.'");
    }

    @Test
    void aCrossSettingErrorNamesTheOptionAsTyped() throws Exception {
        assertOneLine(tunecho(List.of(), "--interface", "tunit28", "--address", "198.18.28.1/32"), 2,
                "--address 198.18.28.1/32 is a /32");
    }

    @Test
    void missingConfigFile() throws Exception {
        assertOneLine(tunecho(List.of(), "--config", "/nonexistent/tunecho.yaml"), 2, "/nonexistent/tunecho.yaml");
    }

    @Test
    void notRoot() throws Exception {
        // nobody, without capabilities: TUNSETIFF fails with EPERM.
        Netns.Result r = tunecho(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all"), "--interface", "tunit24");
        assertOneLine(r, 1, "CAP_NET_ADMIN");
        assertFalse(Netns.interfaceExists("tunit24"));
    }

    @Test
    void noTunDevice() throws Exception {
        // A private mount namespace in which /dev/net is empty, as in a container started without --device.
        Netns.Result r = tunecho(List.of("unshare", "--mount", "--", "sh", "-c",
                "mount -t tmpfs none /dev/net && exec \"$0\" \"$@\""), "--interface", "tunit25");
        assertOneLine(r, 1, "/dev/net/tun");
    }

    @Test
    void interfaceBusy() throws Exception {
        Netns.run(10, "ip", "tuntap", "add", "dev", "tunit26", "mode", "tun").assertSuccess();
        try (TunechoProcess first = TunechoProcess.start("--interface", "tunit26", "--address", "198.18.26.1/24")) {
            Netns.Result r = tunecho(List.of(), "--interface", "tunit26", "--address", "198.18.26.1/24");
            assertOneLine(r, 1, "tunit26", "in use");
            assertEquals(0, first.terminate(), first.output());
        } finally {
            Netns.run(10, "ip", "link", "del", "tunit26");
        }
    }

    @Test
    void interfaceOfTheWrongKind() throws Exception {
        Netns.run(10, "ip", "tuntap", "add", "dev", "tunit27", "mode", "tap").assertSuccess();
        try {
            Netns.Result r = tunecho(List.of(), "--interface", "tunit27");
            assertOneLine(r, 1, "tunit27", "TUN");
        } finally {
            Netns.run(10, "ip", "link", "del", "tunit27");
        }
    }

    @Test
    void anInterfaceThatIsNotATunAtAll() throws Exception {
        // lo exists and is no TUN device.
        Netns.Result r = tunecho(List.of(), "--interface", "lo");
        assertEquals(1, r.exitCode(), r.output());
        assertFalse(r.output().contains("Exception"), r.output());
    }
}
