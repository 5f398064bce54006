package io.tunecho.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Least privilege outside containers, in this test's own network namespace: {@code --user} drops root after
 * start-up, and tunecho runs as an unprivileged user with only an ambient {@code CAP_NET_ADMIN}, which is what
 * {@code config/tunecho.service} gives it ({@code setpriv} stands in for systemd here).
 */
class PrivilegeDropIT {
    private static final String IFACE = "tunit7";
    /** {@code nobody} on Debian: exists everywhere, owns nothing. */
    private static final String USER = "nobody";
    private static final String NOBODY_ID = "65534";
    private static final String NO_CAPS = "0000000000000000";
    private static final String NET_ADMIN = "0000000000001000";

    @BeforeEach
    void privateNamespace() throws IOException {
        Netns.assertPrivateNamespace();
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(Path.of("/dev/net/tun"));
        assertTrue(mode.contains(PosixFilePermission.OTHERS_READ) && mode.contains(PosixFilePermission.OTHERS_WRITE),
                "/dev/net/tun is " + PosixFilePermissions.toString(mode) + ": a user without root cannot open it, "
                        + "whatever its capabilities; udev's default rules make it 0666 (chmod 0666 /dev/net/tun, "
                        + "as .ci/run does on a machine without udev)");
    }

    /** The lines of a {@code /proc/.../status} file that hold credentials, as "Key: value" with single spaces. */
    private static List<String> credentials(Path status) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(status)) {
            if (line.matches("(Uid|Gid|Groups|CapPrm|CapEff|CapAmb):.*")) {
                lines.add(line.replaceAll("\\s+", " ").trim());
            }
        }
        return lines;
    }

    /** The credentials of every thread of a process, one list per thread, tagged with its name. */
    private static List<String> everyThread(long pid) throws IOException {
        List<String> all = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    all.add(name + ": " + String.join(", ", credentials(task.resolve("status"))));
                } catch (NoSuchFileException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        return all;
    }

    private static String nobody(String caps) {
        String ids = NOBODY_ID + " " + NOBODY_ID + " " + NOBODY_ID + " " + NOBODY_ID;
        return "Uid: " + ids + ", Gid: " + ids + ", Groups:, CapPrm: " + caps + ", CapEff: " + caps
                + ", CapAmb: " + caps;
    }

    private static void assertAnswers(String address) throws Exception {
        PingOutput p = PingOutput.parse(Netns.run(60, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", address)
                .output());
        assertEquals(3, p.received(), p.text());
        assertTrue(p.allRepliesIntact(), p.text());
        PingOutput flood = PingOutput.parse(Netns.run(60, "ping", "-n", "-f", "-l", "32", "-c", "5000", address)
                .output());
        assertEquals(5000, flood.received(), flood.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring"})
    void rootDropsToTheUserAndStillAnswers(String transport) throws Exception {
        assertEquals("root", Netns.run(5, "id", "-un").output().trim(), "the namespace tests run as root");
        try (TunechoProcess tunecho = TunechoProcess.start("--interface", IFACE, "--user", USER,
                "--transport", transport)) {
            assertTrue(tunecho.output().contains("running as user nobody (uid 65534, gid 65534), without "
                    + "capabilities"), tunecho.output());
            List<String> threads = everyThread(tunecho.pid());
            assertTrue(threads.size() > 5, threads.toString());
            for (String thread : threads) {
                assertTrue(thread.endsWith(": " + nobody(NO_CAPS)), thread + "\nall threads:\n"
                        + String.join("\n", threads));
            }
            assertAnswers("198.18.0.2");
            assertEquals(0, tunecho.terminate(), tunecho.output());
            assertFalse(Netns.interfaceExists(IFACE), "the interface tunecho created is still there");
        }
    }

    @Test
    void theUserIsGivenInTheConfigFile() throws Exception {
        Path file = Files.createTempFile("tunecho-user", ".yaml");
        try {
            Files.writeString(file, "interface:\n  name: " + IFACE + "\n  address: 10.9.0.1/24\nuser: " + USER + "\n");
            try (TunechoProcess tunecho = TunechoProcess.start("--config", file.toString())) {
                assertEquals(nobody(NO_CAPS), String.join(", ",
                        credentials(Path.of("/proc/" + tunecho.pid() + "/status"))));
                assertAnswers("10.9.0.77");
                assertEquals(0, tunecho.terminate(), tunecho.output());
            }
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void anUnknownUserStopsBeforeAnythingIsOpened() throws Exception {
        Netns.Result r = Netns.run(60, Netns.tunechoCommand("--interface", IFACE, "--user", "tunecho-no-such-user")
                .toArray(new String[0]));
        assertEquals(2, r.exitCode(), r.output());
        assertEquals("tunecho: unknown user 'tunecho-no-such-user' for --user; give an existing user (for example "
                + "nobody) or create one (useradd --system --no-create-home tunecho-no-such-user)", r.output().trim());
        assertFalse(Netns.interfaceExists(IFACE));
    }

    /** What config/tunecho.service sets up: an unprivileged user whose only capability is an ambient CAP_NET_ADMIN. */
    private static List<String> asServiceUser(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + NOBODY_ID,
                "--clear-groups", "--inh-caps=-all,+net_admin", "--ambient-caps=-all,+net_admin",
                "--bounding-set=-all,+net_admin", "--no-new-privs", "--"));
        cmd.addAll(command);
        return cmd;
    }

    @Test
    void anUnprivilegedUserWithAmbientNetAdminRunsIt() throws Exception {
        Path log = Files.createTempFile("tunecho-service", ".log");
        Process p = new ProcessBuilder(asServiceUser(Netns.tunechoCommand("--interface", IFACE)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Files.readString(log).contains("answering on " + IFACE) && p.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive(), () -> "tunecho exited: " + read(log));
            assertEquals("Uid: 65534 65534 65534 65534, Gid: 65534 65534 65534 65534, Groups:, CapPrm: " + NET_ADMIN
                    + ", CapEff: " + NET_ADMIN + ", CapAmb: " + NET_ADMIN,
                    String.join(", ", credentials(Path.of("/proc/" + p.pid() + "/status"))));
            assertAnswers("198.18.0.9");
            p.destroy();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "no stop within 20 s of SIGTERM");
            assertEquals(0, p.exitValue(), read(log));
            assertTrue(read(log).contains("stopped; replied=5003"), read(log));
            assertFalse(Netns.interfaceExists(IFACE));
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Files.delete(log);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    @Test
    void userNeedsRootAtStartAndSaysSo() throws Exception {
        Netns.Result r = Netns.run(60, asServiceUser(Netns.tunechoCommand("--interface", IFACE, "--user", USER))
                .toArray(new String[0]));
        assertEquals(1, r.exitCode(), r.output());
        assertEquals("tunecho: cannot switch to user nobody (uid 65534, gid 65534) for --user: setgroups failed: "
                + "Operation not permitted (EPERM); --user needs tunecho to start as root (in a container also "
                + "--cap-add SETUID --cap-add SETGID); a service manager can start it as the user instead (see "
                + "config/tunecho.service)", r.output().trim());
        assertFalse(Netns.interfaceExists(IFACE), "the interface was not removed after the failed drop");
    }
}
