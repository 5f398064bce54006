package io.tunecho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server jar with the default transport, auto: it answers the real {@code ping}, and the line that says it
 * answers names the transport that this machine must get, worked out here from the same facts the server reads
 * (the kernel's release, {@code kernel.io_uring_disabled}, a seccomp filter on the process).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportAutoIT {
    private static final String IFACE = "tunit22";
    private static final String IO_URING = "io_uring (auto)";
    private static final String NO_MULTISHOT = "epoll (auto: this kernel has no multishot read (Linux 6.7+))";
    private static final String DISABLED = "epoll (auto: io_uring is disabled by kernel.io_uring_disabled)";
    private static final String SECCOMP = "epoll (auto: io_uring setup refused: EPERM (a seccomp profile?))";
    private static final String SECCOMP_ENOSYS = "epoll (auto: io_uring setup refused: ENOSYS (a seccomp profile?))";
    private TunechoProcess tunecho;

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        tunecho = TunechoProcess.start("--interface", IFACE, "--address", "198.18.22.1/24");
    }

    @AfterAll
    void stop() throws Exception {
        if (tunecho == null) {
            return;
        }
        try {
            assertEquals(0, tunecho.terminate(), tunecho.output());
            assertFalse(Netns.interfaceExists(IFACE), "the interface tunecho created is still there");
        } finally {
            tunecho.close();
        }
    }

    @Test
    void answersThreePingsAndSaysWhichTransportAutoChose() throws Exception {
        PingOutput p = PingOutput.parse(Netns.run(60, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2",
                "198.18.22.2").output());
        assertEquals(3, p.received(), p.text());
        assertEquals(3, p.replies().size(), p.text());

        String answering = answeringLine();
        String expected = expectedChoice();
        if (expected == null) { // a seccomp filter that this test cannot read: either outcome, said as such
            assertTrue(answering.contains(", " + IO_URING + "): ") || answering.contains(", " + SECCOMP + "): ")
                    || answering.contains(", " + SECCOMP_ENOSYS + "): "), answering);
        } else {
            assertTrue(answering.contains(", " + expected + "): "), "expected " + expected + " in: " + answering);
        }
        if (answering.contains(IO_URING)) {
            assertTrue(hasIoUringInstance(tunecho.pid()), "io_uring chosen but the process has no io_uring");
            assertFalse(tunecho.output().contains("single reads"), tunecho.output());
        } else {
            assertFalse(hasIoUringInstance(tunecho.pid()), "epoll chosen but the process has an io_uring");
        }
    }

    /** What auto must choose here, or {@code null} where a seccomp filter may refuse io_uring unseen. */
    private static String expectedChoice() throws IOException {
        // the server runs as root here: kernel.io_uring_disabled=1 still allows it (CAP_SYS_ADMIN)
        if (sysctl("/proc/sys/kernel/io_uring_disabled") == 2) {
            return DISABLED;
        }
        if (!seccompFilterFree()) {
            return null;
        }
        return kernelAtLeast(6, 7) ? IO_URING : NO_MULTISHOT;
    }

    private String answeringLine() {
        return tunecho.output().lines().filter(l -> l.contains("answering on " + IFACE)).findFirst()
                .orElseThrow(() -> new AssertionError("no answering line: " + tunecho.output()));
    }

    private static int sysctl(String path) throws IOException {
        Path file = Path.of(path);
        return Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
    }

    /** Whether this JVM, and so the server it starts, runs without a seccomp filter. */
    private static boolean seccompFilterFree() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .noneMatch(l -> l.startsWith("Seccomp:") && !l.endsWith("0"));
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] release = System.getProperty("os.version").split("[.-]");
        int ma = Integer.parseInt(release[0]);
        int mi = Integer.parseInt(release[1]);
        return ma > major || ma == major && mi >= minor;
    }

    /** Whether the process holds an io_uring instance (a descriptor onto {@code anon_inode:[io_uring]}). */
    private static boolean hasIoUringInstance(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("anon_inode:[io_uring]");
                } catch (IOException gone) {
                    return false;
                }
            });
        }
    }
}
