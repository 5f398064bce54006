package io.tunecho.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drills as users run them (issue #21's namespace test): tunecho with the example's lab and a scenario, graded by
 * what Debian's real blackbox exporter, Prometheus and Alertmanager do; Alertmanager's webhook goes to tunecho's own
 * {@code POST /api/alerts}, as in {@code examples/alerting/}. Each test runs one scenario to its end and checks the
 * exit code (0 all passed, 3 any failed), {@code GET /api/scenario} while it runs, and the JUnit XML report with its
 * JSON twin. Prometheus scrapes and evaluates every second and HostDown holds for 4 s ({@link
 * MonitoringStack.Settings#fast}); the steps begin after a warm-up, since Prometheus applies its targets about 5 s
 * after it starts.
 */
class DrillIT {
    private static final String WARM_UP = "15s";
    /** How long Prometheus may take to probe every target once: well within {@link #WARM_UP}. */
    private static final long FIRST_PROBES_SECONDS = 12;
    private static final long RUN_SECONDS = 90;
    private static final Pattern FIGURE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s)?\\b");

    /** What a drill left behind. */
    private record Drill(int exitCode, Document junit, String output) {
    }

    @Test
    void aHostDownFor10sIsAlertedWithin10sAndResolvedWithin15sAndTheDrillPasses() throws Exception {
        MonitoringStack.Settings settings = settings();
        Drill drill = run("tunit36", "host-down", List.of(step("198.18.0.10", Map.of("state", "down"), "10s",
                Map.of("alert", "10s", "resolve", "15s"))));
        assertEquals(0, drill.exitCode(), drill.output());
        assertEquals(List.of(), failures(drill.junit()), drill.output());
        List<Element> cases = testCases(drill.junit());
        assertEquals(2, cases.size(), "one test case per expectation: " + names(cases));
        double detection = figure(expectation(cases, "alert"));
        double resolution = figure(expectation(cases, "resolve"));
        System.out.printf("DrillIT: detection %.2f s, resolution %.2f s (scrape and evaluation every %s, for: %s,"
                + " group_wait 0s)%n", detection, resolution, settings.interval(), settings.ruleFor());
        // The rule holds for its for:; the first failed probe comes up to a scrape interval (and the probe's
        // timeout, at most that again) after the step began, and the rule sees it at its next evaluation.
        double interval = settings.intervalDuration().toMillis() / 1000.0;
        double ruleFor = settings.ruleForDuration().toMillis() / 1000.0;
        assertTrue(detection >= ruleFor && detection <= ruleFor + 3 * interval + 2,
                "detection " + detection + " s with for: " + ruleFor + " s and " + interval + " s intervals");
        assertTrue(resolution <= 15, "resolution " + resolution + " s");
    }

    @Test
    void anOutageShorterThanTheRulesForIsNeverAlertedAndTheDrillFailsWithExitCode3() throws Exception {
        Drill drill = run("tunit37", "short-outage", List.of(step("198.18.0.10", Map.of("state", "down"), "2s",
                Map.of("alert", "10s"))));
        assertEquals(3, drill.exitCode(), drill.output());
        List<String> failures = failures(drill.junit());
        assertEquals(1, failures.size(), drill.output());
        assertTrue(FIGURE.matcher(failures.get(0)).find(), "the failure names no figure: " + failures);
        System.out.println("DrillIT: a 2 s outage with for: 4s: " + failures.get(0));
    }

    @Test
    void noAlertFailsWhenAPageFires() throws Exception {
        Drill drill = run("tunit38", "no-page", List.of(step("198.18.0.33", Map.of("state", "down"), "10s",
                Map.of("no-alert", true))));
        assertEquals(3, drill.exitCode(), drill.output());
        List<String> failures = failures(drill.junit());
        assertEquals(1, failures.size(), drill.output());
        assertTrue(FIGURE.matcher(failures.get(0)).find(), "the failure names no figure: " + failures);
        System.out.println("DrillIT: no-alert while 198.18.0.33 was down: " + failures.get(0));
    }

    private static MonitoringStack.Settings settings() {
        return MonitoringStack.Settings.fast(AlertingExample.httpBase() + "/api/alerts", AlertingExample.token());
    }

    /** A step of the scenario, in the config file's keys, starting after the warm-up. */
    private static Map<String, Object> step(String match, Map<String, Object> hostSettings, String duration,
                                            Map<String, Object> expect) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("at", WARM_UP);
        step.put("match", match);
        step.putAll(hostSettings);
        step.put("for", duration);
        step.put("expect", expect);
        return step;
    }

    /**
     * Runs tunecho with the example's lab and this scenario (report in server/target/drill-it/NAME/, exit: true)
     * and the monitoring programs, until tunecho exits.
     */
    private static Drill run(String interfaceName, String name, List<Map<String, Object>> steps) throws Exception {
        Netns.assertPrivateNamespace();
        Path dir = Path.of(System.getProperty("tunecho.jar", "server/target/tunecho.jar")).toAbsolutePath()
                .getParent().resolve("drill-it").resolve(name);
        Files.createDirectories(dir);
        Path report = dir.resolve("drill.xml");
        Path json = dir.resolve("drill.json");
        Files.deleteIfExists(report);
        Files.deleteIfExists(json);
        Map<String, Object> scenario = new LinkedHashMap<>();
        scenario.put("name", name);
        scenario.put("steps", new ArrayList<>(steps));
        scenario.put("report", report.toString());
        scenario.put("exit", true);
        Map<String, Object> config = AlertingExample.tunecho(interfaceName);
        config.put("scenario", scenario);
        Path file = dir.resolve("tunecho.yaml");
        AlertingExample.write(config, file);

        try (TunechoProcess tunecho = TunechoProcess.start("--config", file.toString(), "--transport", "epoll")) {
            tunecho.awaitOutput("HTTP on", 10);
            try (MonitoringStack stack = MonitoringStack.start("drill-" + name, settings())) {
                stack.awaitProbedOnce(FIRST_PROBES_SECONDS);
                AdminApi api = new AdminApi(AlertingExample.httpBase(), AlertingExample.token());
                String status = api.ok("GET", "/api/scenario", null);
                assertTrue(status.contains(name), status);
                int exitCode = tunecho.waitForExit(RUN_SECONDS);
                assertTrue(Files.exists(report), () -> "no report at " + report + ":\n" + tunecho.output()
                        + "\n" + stack.logs());
                assertTrue(Files.exists(json), "no JSON twin at " + json);
                JsonNode twin = new ObjectMapper().readTree(json.toFile());
                assertTrue(twin.toString().contains(name), twin.toString());
                return new Drill(exitCode, parse(report), tunecho.output());
            }
        }
    }

    private static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(xml.toFile());
        assertEquals(1, document.getElementsByTagName("testsuite").getLength(), "one test suite per scenario");
        return document;
    }

    private static List<Element> testCases(Document junit) {
        NodeList nodes = junit.getElementsByTagName("testcase");
        List<Element> cases = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            cases.add((Element) nodes.item(i));
        }
        return cases;
    }

    private static List<String> names(List<Element> cases) {
        return cases.stream().map(c -> c.getAttribute("name")).toList();
    }

    /** The failure messages (with their text) of every failed test case. */
    private static List<String> failures(Document junit) {
        NodeList nodes = junit.getElementsByTagName("failure");
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element failure = (Element) nodes.item(i);
            messages.add((failure.getAttribute("message") + " " + failure.getTextContent()).trim());
        }
        return messages;
    }

    /** The test case of an expectation by its kind ("alert", "resolve"), named in the test case's name. */
    private static Element expectation(List<Element> cases, String kind) {
        Pattern word = Pattern.compile("(?<![-\\w])" + Pattern.quote(kind) + "(?![-\\w])");
        List<Element> found = cases.stream().filter(c -> word.matcher(c.getAttribute("name")).find()).toList();
        assertEquals(1, found.size(), "no single test case for '" + kind + "' in " + names(cases));
        return found.get(0);
    }

    /** The measured figure of a test case in seconds: the first of its properties whose value is a duration. */
    private static double figure(Element testCase) {
        NodeList properties = testCase.getElementsByTagName("property");
        for (int i = 0; i < properties.getLength(); i++) {
            String value = ((Element) properties.item(i)).getAttribute("value");
            Matcher m = FIGURE.matcher(value);
            if (m.matches()) {
                double number = Double.parseDouble(m.group(1));
                return "ms".equals(m.group(2)) ? number / 1000 : number;
            }
        }
        fail("test case '" + testCase.getAttribute("name") + "' has no property with a measured figure");
        return Double.NaN;
    }
}
