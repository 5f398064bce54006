package io.tunecho.app;

import io.tunecho.config.CommandLine;
import io.tunecho.config.TunechoConfig;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The files of docker/ against the code they drive: the compose example's command is a tunecho command line with
 * the image's least privilege, the Dockerfile's entry point is in exec form with the options file, and this JVM
 * accepts every line of that file. docker/test.sh builds and runs the image itself.
 */
class DockerFilesTest {

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsATunechoCommandLineWithOnlyNetAdmin() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker/compose.yaml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertEquals(List.of("tunecho"), new ArrayList<>(services.keySet()));
        Map<String, Object> s = (Map<String, Object>) services.get("tunecho");
        assertEquals(List.of("ALL"), s.get("cap_drop"));
        assertEquals(List.of("NET_ADMIN"), s.get("cap_add"));
        assertEquals(List.of("/dev/net/tun:/dev/net/tun"), s.get("devices"));
        assertEquals(Boolean.TRUE, s.get("read_only"));
        assertEquals("SIGTERM", s.get("stop_signal"));
        assertEquals("docker/Dockerfile", ((Map<String, Object>) s.get("build")).get("dockerfile"));
        List<String> command = (List<String>) s.get("command");
        List<String> args = new ArrayList<>(List.of("--config", "config/tunecho.yaml")); // the image's default file
        args.addAll(command);
        TunechoConfig config = CommandLine.parse(args.toArray(new String[0])).config();
        assertEquals(IpCidr.parse("10.9.0.1/24"), config.interfaceAddress());
        assertEquals(List.of(IpCidr.parse("10.9.0.0/24"), IpCidr.parse("203.0.113.0/28")), config.answer());
    }

    @Test
    void entrypointIsExecFormWithTheOptionsFile() throws Exception {
        String dockerfile = Files.readString(Path.of("docker/Dockerfile")).replace("\\\n", " ");
        String entrypoint = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        assertTrue(entrypoint.matches("ENTRYPOINT \\[\"java\", +\"@/opt/tunecho/jvm.options\", "
                + "+\"@/opt/tunecho/container.options\", .*\"-jar\", "
                + "+\"/opt/tunecho/tunecho.jar\", +\"--config\", +\"/etc/tunecho/tunecho.yaml\"\\]"), entrypoint);
        assertTrue(dockerfile.contains("HEALTHCHECK"), "no HEALTHCHECK");
        assertTrue(dockerfile.contains("ARG JRE_IMAGE="), "the base image is not a build argument");
    }

    @Test
    void thisJvmAcceptsEveryOption() throws Exception {
        Path options = Path.of("config/jvm.options");
        Path container = Path.of("docker/container.options");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + options, "@" + container, "-version").redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        for (Path file : List.of(options, container)) {
            for (String line : Files.readAllLines(file)) {
                assertTrue(line.startsWith("-X") || line.startsWith("-D"), file + ", one option per line: '" + line
                        + "'");
            }
        }
    }
}
