package io.tunecho.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A tunecho server started as its users start it ({@code java -jar target/tunecho.jar ...}), in this JVM's
 * network namespace. Its output is collected; {@link #close()} ends it by its PID if a test did not.
 */
final class TunechoProcess implements AutoCloseable {
    /** What the server logs once it answers. */
    static final String READY = "answering";

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;
    /** The config file of {@link #startWithConfig}, or null. */
    private Path config;

    private TunechoProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "tunecho-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts tunecho and waits until it logs that it answers. */
    static TunechoProcess start(String... args) throws IOException, InterruptedException {
        TunechoProcess t = launch(args);
        t.awaitOutput(READY, 30);
        return t;
    }

    /** Starts tunecho with extra JVM options and waits until it logs that it answers. */
    static TunechoProcess startWithJvmOptions(List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        TunechoProcess t = launch(jvmOptions, args);
        t.awaitOutput(READY, 30);
        return t;
    }

    /**
     * Writes {@code yaml} (a line each) to a temporary config file and starts tunecho with it, then the JVM options
     * and the arguments given; the file is the process's, deleted by {@link #stop()}.
     */
    static TunechoProcess startWithConfig(List<String> jvmOptions, List<String> yaml, String... args)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile("tunecho-it", ".yaml");
        try {
            Files.writeString(file, String.join("\n", yaml) + "\n");
            List<String> all = new ArrayList<>(List.of("--config", file.toString()));
            all.addAll(List.of(args));
            TunechoProcess t = startWithJvmOptions(jvmOptions, all.toArray(new String[0]));
            t.config = file;
            return t;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Stops tunecho as a service manager would (SIGTERM) and asserts a clean stop: exit code 0 and no leak reported.
     * Deletes the config file of {@link #startWithConfig}.
     */
    void stop() throws IOException, InterruptedException {
        try {
            assertEquals(0, terminate(), output());
        } finally {
            close();
            if (config != null) {
                Files.deleteIfExists(config);
            }
        }
    }

    /** Starts tunecho through a command line of the test's own (a wrapper around {@link Netns#tunechoCommand}). */
    static TunechoProcess startCommand(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        TunechoProcess t = new TunechoProcess(p);
        t.awaitOutput(READY, 30);
        return t;
    }

    /** Starts tunecho without waiting for anything. */
    static TunechoProcess launch(String... args) throws IOException {
        return launch(List.of(), args);
    }

    private static TunechoProcess launch(List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = Netns.tunechoCommand(jvmOptions, args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        return new TunechoProcess(p);
    }

    void awaitOutput(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (output.indexOf(text) >= 0) {
                return;
            }
            if (!process.isAlive()) {
                reader.join(2000);
                if (output.indexOf(text) >= 0) {
                    return;
                }
                fail("tunecho exited with " + process.exitValue() + " before printing '" + text + "':\n" + output);
            }
            Thread.sleep(20);
        }
        fail("tunecho did not print '" + text + "' within " + seconds + " s:\n" + output);
    }

    /** Waits until {@code text} occurs {@code times} times in the output. */
    void awaitOccurrences(String text, int times, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (output().split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) {
                return;
            }
            if (!process.isAlive()) {
                fail("tunecho exited with " + process.exitValue() + " before printing '" + text + "' " + times
                        + " times:\n" + output);
            }
            Thread.sleep(20);
        }
        fail("tunecho did not print '" + text + "' " + times + " times within " + seconds + " s:\n" + output);
    }

    long pid() {
        return process.pid();
    }

    /** Sends a signal by name (HUP, USR1, ...) to tunecho, by its PID. */
    void signal(String name) throws IOException, InterruptedException {
        Netns.run(5, "kill", "-" + name, Long.toString(process.pid())).assertSuccess();
    }

    /**
     * Sends SIGTERM, as a service manager would, and returns the exit code. Fails if tunecho's leak detector
     * (running at paranoid) reported a leak.
     */
    int terminate() throws InterruptedException {
        process.destroy(); // SIGTERM
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("tunecho did not stop within 20 s of SIGTERM:\n" + output);
        }
        reader.join(5000);
        assertNoLeak();
        return process.exitValue();
    }

    private void assertNoLeak() {
        if (output.indexOf("LEAK:") >= 0) {
            fail("tunecho reported a buffer leak:\n" + output);
        }
    }

    /** Sends SIGINT (Ctrl-C) and returns the exit code. */
    int interrupt() throws IOException, InterruptedException {
        Netns.run(5, "kill", "-INT", Long.toString(process.pid()));
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("tunecho did not stop within 20 s of SIGINT:\n" + output);
        }
        reader.join(5000);
        assertNoLeak();
        return process.exitValue();
    }

    int waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("tunecho still runs after " + seconds + " s:\n" + output);
        }
        reader.join(5000);
        return process.exitValue();
    }

    String output() {
        return output.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
