package io.tunecho.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's launcher, {@code ./tunecho}: the first start after a build makes the class-data archive beside the jar,
 * the next maps it (with {@code -Xshare:on} the JVM refuses to start when it cannot), and a newer jar gets a new one.
 */
class LauncherIT {
    @Test
    void makesTheClassArchiveOnceAndMapsIt(@TempDir Path dir) throws Exception {
        Netns.assertPrivateNamespace();
        Path jar = dir.resolve("tunecho.jar");
        Files.copy(Path.of(System.getProperty("tunecho.jar", "target/tunecho.jar")), jar);
        Path archive = dir.resolve("tunecho.jsa");
        String launch = "TUNECHO_JAR=" + jar + " ./tunecho --check";

        Netns.Result first = Netns.sh(120, launch).assertSuccess();
        assertTrue(first.output().contains("configuration OK"), first.output());
        assertTrue(Files.size(archive) > 1_000_000, "the archive is made beside the jar");
        FileTime made = Files.getLastModifiedTime(archive);

        Netns.sh(120, "JAVA_OPTS=-Xshare:on " + launch).assertSuccess();
        assertEquals(made, Files.getLastModifiedTime(archive), "a start with an archive does not make it again");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no half-made archive is left behind");
        }

        Files.setLastModifiedTime(jar, FileTime.fromMillis(made.toMillis() + 60_000)); // a new build
        Netns.sh(120, "JAVA_OPTS=-Xshare:on " + launch).assertSuccess();
        assertTrue(Files.getLastModifiedTime(archive).compareTo(made) > 0, "a newer jar gets a new archive");
        assertFalse(Netns.sh(120, "TUNECHO_JAR=" + dir.resolve("none.jar") + " ./tunecho --check").exitCode() == 0,
                "a missing jar is an error");
    }

    /**
     * The launcher keeps the JVM's direct memory at 16 MB (config/jvm.options); with the largest MTU, the transport
     * that auto picks (io_uring here) still reads into buffers that fit, and answers the largest pings.
     */
    @Test
    void theLargestMtuIsAnsweredWithinTheLaunchersMemory() throws Exception {
        Netns.assertPrivateNamespace();
        Path jar = Path.of(System.getProperty("tunecho.jar", "target/tunecho.jar")).toAbsolutePath();
        Netns.Result r = Netns.sh(120, "TUNECHO_CDS=off TUNECHO_JAR=" + jar
                + " ./tunecho --mtu 65535 --interface tunit95 --address 198.18.95.1/24"
                + " >/dev/null 2>&1 & pid=$!;"
                + " for i in $(seq 300); do ping -n -q -c 1 -W 0.1 198.18.95.2 >/dev/null 2>&1 && break; sleep 0.1;"
                + " done; ping -n -c 3 -i 0.2 -W 2 -s 60000 198.18.95.2; status=$?; kill $pid; wait $pid;"
                + " exit $status");
        assertTrue(r.output().contains("3 packets transmitted, 3 received"), r.output());
    }
}
