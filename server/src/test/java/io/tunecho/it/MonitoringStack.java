package io.tunecho.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's real Prometheus, blackbox exporter and Alertmanager, run as processes in this JVM's network namespace (the
 * namespace tests' own) with the files of {@code examples/alerting/}, changed only where a test needs it: scrape and
 * rule evaluation every {@link Settings#interval}, the rule's {@code for:}, Alertmanager's grouping (group_wait 0s,
 * group_interval 1s) and its webhook's address and token. They listen on 127.0.0.1 only, at the example's ports.
 * Each writes its log to a file under {@code server/target/monitoring/NAME/}, which {@link #logs()} returns for a
 * failing test's message; {@link #close()} stops them by their PIDs.
 */
final class MonitoringStack implements AutoCloseable {
    static final String PROMETHEUS = "http://127.0.0.1:9090";
    static final String BLACKBOX = "http://127.0.0.1:9115";
    static final String ALERTMANAGER = "http://127.0.0.1:9093";
    private static final long READY_SECONDS = 30;
    private static final long STOP_SECONDS = 10;

    /**
     * What a test changes in the example: the scrape and evaluation interval and the HostDown rule's {@code for:}
     * (Prometheus durations: 1s, 500ms), and where Alertmanager's webhook goes with which bearer token (the
     * example's: tunecho's own /api/alerts; a test may put a receiver of its own there).
     */
    record Settings(String interval, String ruleFor, String webhookUrl, String token) {
        /** Short intervals for a test that lasts seconds: 1 s scrape and evaluation, the rule holding for 4 s. */
        static Settings fast(String webhookUrl, String token) {
            return new Settings("1s", "4s", webhookUrl, token);
        }

        Duration intervalDuration() {
            return parse(interval);
        }

        Duration ruleForDuration() {
            return parse(ruleFor);
        }

        private static Duration parse(String prometheusDuration) {
            if (prometheusDuration.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(prometheusDuration.substring(0, prometheusDuration.length() - 2)));
            }
            if (prometheusDuration.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(prometheusDuration.substring(0, prometheusDuration.length() - 1)));
            }
            throw new IllegalArgumentException("write the test's durations in ms or s: " + prometheusDuration);
        }
    }

    private final Path dir;
    private final List<String> targets;
    private final List<Program> programs = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private record Program(String name, Process process, Path log) {
    }

    private MonitoringStack(Path dir, List<String> targets) {
        this.dir = dir;
        this.targets = targets;
    }

    /**
     * Writes the example's files, changed as {@code settings} say, to {@code server/target/monitoring/NAME/}, starts
     * the three programs and waits until each says it is ready.
     */
    static MonitoringStack start(String name, Settings settings) throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("tunecho.jar", "server/target/tunecho.jar")).toAbsolutePath()
                .getParent().resolve("monitoring").resolve(name);
        deleteTree(dir);
        Files.createDirectories(dir);
        List<String> targets = writeConfig(dir, settings);
        MonitoringStack stack = new MonitoringStack(dir, targets);
        try {
            stack.launch("blackbox", "prometheus-blackbox-exporter",
                    "--config.file=" + dir.resolve("blackbox.yml"),
                    "--web.listen-address=127.0.0.1:9115");
            stack.launch("alertmanager", "prometheus-alertmanager",
                    "--config.file=" + dir.resolve("alertmanager.yml"),
                    "--storage.path=" + dir.resolve("alertmanager-data"),
                    "--web.listen-address=127.0.0.1:9093",
                    "--cluster.listen-address=");          // a single Alertmanager: no gossip port
            stack.launch("prometheus", "prometheus",
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                    "--web.listen-address=127.0.0.1:9090");
            stack.awaitReady("blackbox", BLACKBOX);
            stack.awaitReady("alertmanager", ALERTMANAGER);
            stack.awaitReady("prometheus", PROMETHEUS);
            return stack;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    /** The example's files with the test's settings; returns the hosts the blackbox exporter probes. */
    private static List<String> writeConfig(Path dir, Settings settings) throws IOException {
        Map<String, Object> prometheus = AlertingExample.load("prometheus.yml");
        Map<String, Object> global = AlertingExample.map(prometheus, "global");
        global.put("scrape_interval", settings.interval());
        global.put("scrape_timeout", settings.interval());
        global.put("evaluation_interval", settings.interval());
        AlertingExample.write(prometheus, dir.resolve("prometheus.yml"));

        Map<String, Object> rules = AlertingExample.load("rules.yml");
        Map<String, Object> group = first(AlertingExample.list(rules, "groups"));
        Map<String, Object> hostDown = first(AlertingExample.list(group, "rules"));
        assertEquals("HostDown", hostDown.get("alert"), "rules.yml's first rule");
        hostDown.put("for", settings.ruleFor());
        AlertingExample.write(rules, dir.resolve("rules.yml"));

        Map<String, Object> alertmanager = AlertingExample.load("alertmanager.yml");
        Map<String, Object> route = AlertingExample.map(alertmanager, "route");
        route.put("group_wait", "0s");
        route.put("group_interval", "1s");
        Map<String, Object> webhook = first(AlertingExample.list(first(AlertingExample.list(alertmanager,
                "receivers")), "webhook_configs"));
        webhook.put("url", settings.webhookUrl());
        Map<String, Object> authorization = AlertingExample.map(AlertingExample.map(webhook, "http_config"),
                "authorization");
        authorization.put("credentials", settings.token());
        AlertingExample.write(alertmanager, dir.resolve("alertmanager.yml"));

        AlertingExample.write(AlertingExample.load("blackbox.yml"), dir.resolve("blackbox.yml"));

        for (Object job : AlertingExample.list(prometheus, "scrape_configs")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> scrape = (Map<String, Object>) job;
            if ("/probe".equals(scrape.get("metrics_path"))) {
                Map<String, Object> statics = first(AlertingExample.list(scrape, "static_configs"));
                return AlertingExample.list(statics, "targets").stream().map(String::valueOf).toList();
            }
        }
        throw new AssertionError("prometheus.yml has no blackbox job (metrics_path: /probe)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(List<Object> list) {
        return (Map<String, Object>) list.get(0);
    }

    private void launch(String name, String... command) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        programs.add(new Program(name, p, log));
    }

    private void awaitReady(String name, String base) throws InterruptedException {
        Program program = programs.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (System.nanoTime() - deadline < 0) {
            if (!program.process().isAlive()) {
                fail(name + " exited with " + program.process().exitValue() + ":\n" + logs());
            }
            try {
                if (get(base + "/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        fail(name + " was not ready within " + READY_SECONDS + " s:\n" + logs());
    }

    /** The hosts the blackbox exporter probes (prometheus.yml's targets of the /probe job). */
    List<String> targets() {
        return targets;
    }

    /**
     * Waits until Prometheus has scraped every blackbox target once (it applies its targets about 5 s after it
     * starts) and returns their {@code probe_success} by host, failing if not all were scraped in time.
     */
    Map<String, Double> awaitProbedOnce(long seconds) throws Exception {
        Map<String, Double> success = Poll.until(seconds, this::probeSuccess, m -> m.keySet().containsAll(targets));
        if (!success.keySet().containsAll(targets)) {
            fail("Prometheus did not scrape every blackbox target within " + seconds + " s: " + success + " of "
                    + targets + "\n" + logs());
        }
        return success;
    }

    /** The latest {@code probe_success} of each probed host (its {@code instance}), as Prometheus has it now. */
    Map<String, Double> probeSuccess() throws IOException, InterruptedException {
        Map<String, Double> result = new TreeMap<>();
        for (JsonNode series : query("probe_success").path("data").path("result")) {
            result.put(series.path("metric").path("instance").asText(),
                    Double.parseDouble(series.path("value").path(1).asText()));
        }
        return result;
    }

    /** An instant query of Prometheus' HTTP API; the whole JSON answer. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = get(PROMETHEUS + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), () -> r.body() + "\n" + logs());
        return json.readTree(r.body());
    }

    /** The alerts Alertmanager holds now (its API v2), for a failing test's message. */
    String alertmanagerAlerts() {
        try {
            return get(ALERTMANAGER + "/api/v2/alerts").body();
        } catch (IOException | InterruptedException e) {
            return "(Alertmanager's alerts could not be read: " + e + ")";
        }
    }

    private HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The last lines of each program's log. */
    String logs() {
        StringBuilder all = new StringBuilder();
        for (Program p : programs) {
            all.append("---- ").append(p.name()).append(" (").append(p.log()).append(")\n");
            try {
                List<String> lines = Files.readAllLines(p.log());
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> all.append(l).append('\n'));
            } catch (IOException e) {
                all.append("(unreadable: ").append(e).append(")\n");
            }
        }
        return all.toString();
    }

    /**
     * Stops each program with SIGTERM by its PID (SIGKILL if it does not stop within 10 s, or at once if this thread
     * is interrupted, whose flag stays set).
     */
    @Override
    public void close() {
        for (Program p : programs) {
            p.process().destroy();
        }
        for (Program p : programs) {
            try {
                if (!p.process().waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                    p.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.process().destroyForcibly();
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
