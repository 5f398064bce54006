package io.tunecho.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the namespace tests share: the guard that they run in a network namespace of their own, and running
 * commands (ping, fping, ip, tunecho itself) with a bounded time.
 */
final class Netns {
    private Netns() {
    }

    /**
     * Fails unless this JVM runs in the fresh network namespace that {@code testkit/netns/bin/java} made:
     * nothing in these tests may touch the machine's own network.
     */
    static void assertPrivateNamespace(String... ownInterfaces) {
        if (!"1".equals(System.getenv("TUNECHO_TEST_NETNS"))) {
            fail("namespace tests must run through testkit/netns/bin/java (mvn verify, as root)");
        }
        Set<String> allowed = Stream.concat(Stream.of("lo"), Arrays.stream(ownInterfaces)).collect(Collectors.toSet());
        for (String name : interfaces()) {
            if (!allowed.contains(name) && !name.startsWith("tunit")) {
                fail("unexpected interface '" + name + "': not in a private network namespace?");
            }
        }
    }

    /**
     * The interfaces of this process's network namespace. ({@code /sys/class/net} would show the namespace that
     * mounted sysfs, not ours.)
     */
    static List<String> interfaces() {
        try {
            return Files.readAllLines(Path.of("/proc/self/net/dev")).stream()
                    .skip(2)
                    .map(line -> line.substring(0, line.indexOf(':')).trim())
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result of a finished command. */
    record Result(int exitCode, String output) {
        Result assertSuccess() {
            assertEquals(0, exitCode, () -> "command failed:\n" + output);
            return this;
        }
    }

    /** Runs a command, stdout and stderr merged, and kills it if it runs longer than {@code timeoutSeconds}. */
    static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                out[0] = in.readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            reader.join(5000);
            fail("timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n"
                    + new String(out[0] == null ? new byte[0] : out[0], StandardCharsets.UTF_8));
        }
        reader.join(10_000);
        return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
    }

    /** Runs a command for at most two minutes and returns what it printed, stdout and stderr merged. */
    static String output(String... command) throws IOException, InterruptedException {
        return run(120, command).output();
    }

    static Result sh(long timeoutSeconds, String script) throws IOException, InterruptedException {
        return run(timeoutSeconds, "sh", "-c", script);
    }

    static boolean interfaceExists(String name) {
        return interfaces().contains(name);
    }

    /** The command line that starts the server jar that {@code mvn package} built, with the given arguments. */
    static List<String> tunechoCommand(String... args) {
        return tunechoCommand(List.of(), args);
    }

    static List<String> tunechoCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("tunecho.java", "java"));
        cmd.add("-Dio.netty.leakDetection.level=paranoid");
        cmd.add("-Dio.netty.machineId=02:00:00:00:00:01");
        cmd.addAll(jvmOptions);
        // for a diagnosis: ./mvnw verify -Dtunecho.jvmOptions="-Xlog:gc:file=/tmp/gc.log" (space-separated)
        String extra = System.getProperty("tunecho.jvmOptions", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(Arrays.asList(extra.split("\\s+")));
        }
        cmd.add("-jar");
        String jar = System.getProperty("tunecho.jar", "target/tunecho.jar");
        assertTrue(Files.exists(Path.of(jar)), "the server jar is missing: " + jar + " (run mvn verify)");
        cmd.add(jar);
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }
}
