package io.tunecho.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scenario in the config file with {@code exit: true}, run by the server jar with the real {@code ping}: a step
 * takes a host down for 3 s, which ping sees silent and then answering again; a {@code probed} expectation on an
 * address pinged every 0.2 s passes, one on an address nobody pings fails with its gap; tunecho exits 3 and its
 * JUnit XML names the failure. With only passing expectations, it exits 0.
 */
class ScenarioIT {
    private static final String PREFIX = "198.18.73.";

    @BeforeEach
    void guard() {
        Netns.assertPrivateNamespace();
    }

    /** The config: each probed address a hosts entry of its own (its entry's counters tell its last probe). */
    private static Path config(Path dir, List<String> steps) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "interface: { name: tunit73, address: " + PREFIX + "1/24 }",
                "hosts:",
                "  - { match: " + PREFIX + "20 }",
                "  - { match: " + PREFIX + "21 }",
                "scenario:",
                "  name: it-outage",
                "  steps:"));
        lines.addAll(steps);
        lines.add("  report: " + dir.resolve("drill.xml"));
        lines.add("  exit: true");
        Path file = dir.resolve("tunecho.yaml");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private static Element testcase(Document doc, String name) {
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no test case '" + name + "'");
    }

    @Test
    void aFailedExpectationExits3AndTheReportNamesItsGap(@TempDir Path dir) throws Exception {
        Path config = config(dir, List.of(
                "    - { at: 2s, match: " + PREFIX + "30, state: down, for: 3s }",
                "    - { at: 1s, match: " + PREFIX + "20, for: 6s, expect: { probed: 2s } }",
                "    - { at: 1s, match: " + PREFIX + "21, for: 6s, expect: { probed: 2s } }"));
        try (TunechoProcess t = TunechoProcess.start("--config", config.toString())) {
            // both pings for 8 s from now: the scenario started when tunecho began answering
            Netns.Result pings = Netns.sh(30, "ping -n -i 0.2 -c 40 " + PREFIX + "20 > " + dir.resolve("p20")
                    + " & ping -n -i 0.2 -c 40 " + PREFIX + "30; wait");
            PingOutput down = PingOutput.parse(pings.output());
            SortedSet<Integer> answered = down.sequences();
            int longestSilence = 0;
            int silence = 0;
            boolean answeredAfter = false;
            for (int seq = answered.first(); seq <= 40; seq++) {
                if (answered.contains(seq)) {
                    answeredAfter = longestSilence >= 10;
                    silence = 0;
                } else {
                    longestSilence = Math.max(longestSilence, ++silence);
                }
            }
            assertTrue(longestSilence >= 12 && longestSilence <= 18, "silent for 3 s, about 15 pings:\n" + down.text());
            assertTrue(answeredAfter, "answering again after the step:\n" + down.text());
            // answered throughout the scenario (which ends at 7 s, tunecho with it: the last pings may go unanswered)
            PingOutput probed = PingOutput.parse(Files.readString(dir.resolve("p20")));
            assertTrue(probed.received() >= 34, probed.text());

            assertEquals(3, t.waitForExit(30), t.output());
            String out = t.output();
            assertFalse(out.contains("LEAK:"), out);
            assertTrue(out.contains("scenario it-outage step 1 starts: added: profile default, state: down"), out);
            assertTrue(out.contains("scenario it-outage step 1 ends: removed"), out);
            assertTrue(out.contains("scenario it-outage finished after"), out);
            assertTrue(out.contains("1 passed, 1 failed"), out);
        }
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("drill.xml")
                .toFile());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("it-outage", suite.getAttribute("name"));
        assertEquals("2", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        Element passed = testcase(doc, "step 2 " + PREFIX + "20 probed 2s");
        assertEquals(0, passed.getElementsByTagName("failure").getLength());
        double longest = Double.parseDouble(((Element) passed.getElementsByTagName("property").item(0))
                .getAttribute("value"));
        assertTrue(longest < 1.0, "pinged every 0.2 s: " + longest);
        Element failed = testcase(doc, "step 3 " + PREFIX + "21 probed 2s");
        Element failure = (Element) failed.getElementsByTagName("failure").item(0);
        assertTrue(failure.getAttribute("message").matches(PREFIX.replace(".", "\\.")
                + "21 went 2\\.[0-9] s without a probe \\(limit 2s\\)"), failure.getAttribute("message"));
        Element gap = (Element) failed.getElementsByTagName("property").item(0);
        assertEquals("longest_gap_seconds", gap.getAttribute("name"));
        assertTrue(Double.parseDouble(gap.getAttribute("value")) > 2.0, gap.getAttribute("value"));
        assertTrue(Files.exists(dir.resolve("drill.json")));
    }

    @Test
    void onlyPassingExpectationsExit0(@TempDir Path dir) throws Exception {
        Path config = config(dir, List.of(
                "    - { at: 1s, match: " + PREFIX + "30, state: down, for: 2s }",
                "    - { at: 1s, match: " + PREFIX + "20, for: 3s, expect: { probed: 2s } }"));
        try (TunechoProcess t = TunechoProcess.start("--config", config.toString())) {
            Netns.run(30, "ping", "-n", "-q", "-i", "0.2", "-c", "25", PREFIX + "20");
            assertEquals(0, t.waitForExit(30), t.output());
            assertTrue(t.output().contains("1 passed, 0 failed"), t.output());
        }
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("drill.xml")
                .toFile());
        assertEquals("0", ((Element) doc.getElementsByTagName("testsuite").item(0)).getAttribute("failures"));
    }
}
