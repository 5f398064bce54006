package io.tunecho.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.tunecho.drill.AlertNotice.Status.FIRING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report at the end: JUnit XML that a parser reads, and its JSON twin. */
class ScenarioReportTest {

    private static String scenario(Path report) {
        return String.join("\n",
                "hosts:",
                "  - { match: 198.18.0.40, ttl: 100 }",
                "scenario:",
                "  name: drill-1",
                "  steps:",
                "    - { at: 1s, match: 198.18.0.30, state: down, for: 5s, expect: { alert: 3s } }",
                "    - { at: 0s, match: 198.18.0.40, for: 8s, expect: { probed: 2s } }",
                "  report: " + report,
                "");
    }

    private static Element only(Element parent, String tag) {
        NodeList list = parent.getElementsByTagName(tag);
        assertEquals(1, list.getLength(), tag);
        return (Element) list.item(0);
    }

    @Test
    void junitXmlAndItsJsonTwin(@TempDir Path dir) throws Exception {
        Path xml = dir.resolve("drill.xml");
        try (ScenarioFixture f = new ScenarioFixture(scenario(xml))) {
            f.runTo(2_500);
            f.alert(FIRING, "HostDown", "198.18.0.30");
            f.runTo(8_000); // nobody probes 198.18.0.40: the probed expectation failed at 2.1 s
            assertTrue(f.runner.finished().isDone());
            assertFalse(f.runner.finished().get());
        }
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suites = doc.getDocumentElement();
        assertEquals("testsuites", suites.getTagName());
        Element suite = only(suites, "testsuite");
        assertEquals("drill-1", suite.getAttribute("name"));
        assertEquals("2", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("8", suite.getAttribute("time"), "it ended with its last step");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(2, cases.getLength());

        Element alert = (Element) cases.item(0);
        assertEquals("step 1 198.18.0.30 alert 3s", alert.getAttribute("name"));
        assertEquals("drill-1", alert.getAttribute("classname"));
        assertEquals(0, alert.getElementsByTagName("failure").getLength());
        Element property = only(alert, "property");
        assertEquals("detection_seconds", property.getAttribute("name"));
        assertEquals("1.5", property.getAttribute("value"));
        assertEquals("HostDown fired 1.5 s after the step started", only(alert, "system-out").getTextContent());

        Element probed = (Element) cases.item(1);
        assertEquals("step 2 198.18.0.40 probed 2s", probed.getAttribute("name"));
        Element failure = only(probed, "failure");
        assertEquals("probed", failure.getAttribute("type"));
        assertEquals("198.18.0.40 went 2.1 s without a probe (limit 2s)", failure.getAttribute("message"));
        assertEquals("longest_gap_seconds", only(probed, "property").getAttribute("name"));
        assertEquals("2.1", only(probed, "property").getAttribute("value"));

        Path json = dir.resolve("drill.json");
        JsonNode twin = new ObjectMapper().readTree(Files.readString(json));
        assertEquals("drill-1", twin.get("name").asText());
        assertEquals("finished", twin.get("state").asText());
        assertEquals(1, twin.get("expectations").get("passed").asInt());
        assertEquals(1, twin.get("expectations").get("failed").asInt());
        assertEquals(2.1, twin.get("steps").get(1).get("expectations").get(0).get("measured_seconds").asDouble());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void anUnwritableReportIsALogLineNotAFailure(@TempDir Path dir) throws Exception {
        Path xml = dir.resolve("missing-dir").resolve("drill.xml");
        try (ScenarioFixture f = new ScenarioFixture(scenario(xml))) {
            f.runTo(8_000);
            assertTrue(f.runner.finished().isDone());
            assertTrue(ScenarioReport.write(f.runner).startsWith("; the report could not be written to " + xml));
        }
    }

    @Test
    void secondsAreWrittenExactly() {
        assertEquals("41.2", ScenarioReport.secondsText(41_200));
        assertEquals("10", ScenarioReport.secondsText(10_000));
        assertEquals("0.001", ScenarioReport.secondsText(1));
    }
}
