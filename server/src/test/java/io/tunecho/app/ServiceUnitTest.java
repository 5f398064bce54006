package io.tunecho.app;

import io.tunecho.config.CommandLine;
import io.tunecho.config.TunechoConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code config/tunecho.service}: systemd accepts every line of it ({@code systemd-analyze verify}, which works
 * without a running systemd), its sandbox rates as well as claimed ({@code systemd-analyze security --offline}), it
 * gives an unprivileged user CAP_NET_ADMIN and nothing else, and its command line is one tunecho accepts. The
 * privilege model itself (that user, that one ambient capability, no new privileges) runs in PrivilegeDropIT.
 */
class ServiceUnitTest {
    private static final Path UNIT = Path.of("config/tunecho.service");
    /** systemd's exposure scale, 0 (locked down) to 10; the unit rates 2.0 with systemd 252. */
    private static final double MAX_EXPOSURE = 2.5;

    private static Map<String, List<String>> settings() throws IOException {
        Map<String, List<String>> s = new LinkedHashMap<>();
        for (String line : Files.readAllLines(UNIT)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                s.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return s;
    }

    private static String one(Map<String, List<String>> s, String key) {
        List<String> values = s.get(key);
        assertTrue(values != null && values.size() == 1, key + " must be set once: " + values);
        return values.get(0);
    }

    @Test
    void unprivilegedUserWithOnlyNetAdmin() throws Exception {
        Map<String, List<String>> s = settings();
        assertNotEquals("root", one(s, "User"));
        assertEquals("tunecho", one(s, "User"));
        assertEquals("CAP_NET_ADMIN", one(s, "AmbientCapabilities"));
        assertEquals("CAP_NET_ADMIN", one(s, "CapabilityBoundingSet"));
        assertEquals("yes", one(s, "NoNewPrivileges"));
        assertEquals("strict", one(s, "ProtectSystem"));
        assertEquals("yes", one(s, "PrivateTmp"));
        assertEquals("/dev/net/tun rw", one(s, "DeviceAllow"));
        assertEquals("SIGTERM", one(s, "KillSignal"));
    }

    @Test
    void itsCommandLineIsOneTunechoAccepts() throws Exception {
        String[] exec = one(settings(), "ExecStart").split(" ");
        assertEquals("/usr/bin/java", exec[0]);
        List<String> args = Arrays.asList(exec);
        int jar = args.indexOf("-jar");
        assertEquals("/opt/tunecho/tunecho.jar", args.get(jar + 1));
        List<String> tunecho = new ArrayList<>(args.subList(jar + 2, args.size()));
        assertEquals("/etc/tunecho/tunecho.yaml", tunecho.get(tunecho.indexOf("--config") + 1));
        tunecho.set(tunecho.indexOf("--config") + 1, "config/tunecho.yaml"); // the file it installs there
        TunechoConfig config = CommandLine.parse(tunecho.toArray(new String[0])).config();
        assertEquals(TunechoConfig.defaults(), config);
    }

    private static String[] run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return new String[] {Integer.toString(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
    }

    private static void assumeSystemdAnalyze() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed");
    }

    @Test
    void systemdAcceptsEveryLine() throws Exception {
        assumeSystemdAnalyze();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/java")), "verify checks that /usr/bin/java exists");
        String[] r = run("systemd-analyze", "verify", UNIT.toString());
        assertEquals("0", r[0], r[1]);
        assertEquals("", r[1], "systemd-analyze verify warns (an unknown key or value is only a warning)");
    }

    @Test
    void verifyWouldCatchATypo(@TempDir Path dir) throws Exception {
        assumeSystemdAnalyze();
        Path typo = dir.resolve("tunecho.service");
        Files.writeString(typo, Files.readString(UNIT).replace("AmbientCapabilities=", "AmbientCapabilites="));
        String[] r = run("systemd-analyze", "verify", typo.toString());
        assertTrue(r[1].contains("Unknown key 'AmbientCapabilites'"), r[1]);
    }

    @Test
    void sandboxExposure() throws Exception {
        assumeSystemdAnalyze();
        String[] r = run("systemd-analyze", "--offline=true", "security", UNIT.toString());
        assertEquals("0", r[0], r[1]);
        Matcher m = Pattern.compile("Overall exposure level for tunecho\\.service: ([0-9.]+)").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        double exposure = Double.parseDouble(m.group(1));
        assertTrue(exposure <= MAX_EXPOSURE, "exposure " + exposure + " > " + MAX_EXPOSURE + ":\n" + r[1]);
    }
}
