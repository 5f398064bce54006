package io.tunecho.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunecho.config.ScenarioSpec;
import io.tunecho.wire.IpCidr;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * A scenario's results: as JSON ({@code GET /api/scenario}, and the report's JSON twin) and as JUnit XML, which CI
 * systems read: one test suite per scenario, one test case per expectation ({@code step 1 198.18.0.30 alert 90s}),
 * the measured figure as a property of the test case and, for a failure, in its message. Called under the runner's
 * lock.
 */
final class ScenarioReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScenarioReport() {
    }

    /** Where the scenario stands, every figure in seconds, every time also as an ISO-8601 instant. */
    static JsonNode json(ScenarioRunner r) {
        ScenarioSpec spec = r.spec();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", spec.name());
        o.put("state", r.running() ? "running" : r.endMillis() >= 0 ? "finished" : "pending");
        o.put("source", spec.source());
        time(o, "started_at", r.startMillis());
        time(o, "ended_at", r.endMillis());
        long upTo = r.endMillis() >= 0 ? r.endMillis() : r.now();
        o.put("elapsed_seconds", r.startMillis() < 0 ? null : seconds(upTo - r.startMillis()));
        o.put("end_seconds", spec.endNanos() == null ? null : seconds(spec.endNanos() / 1_000_000));
        o.put("exit", spec.exit());
        o.put("report", spec.report() == null ? null : spec.report().toString());
        ObjectNode counts = o.putObject("expectations");
        for (Verdict v : Verdict.values()) {
            counts.put(v.toString(), r.expectations(v));
        }
        ArrayNode steps = o.putArray("steps");
        for (StepRun s : r.steps()) {
            steps.add(step(s, r.startMillis()));
        }
        return o;
    }

    private static ObjectNode step(StepRun s, long start) {
        ScenarioSpec.Step spec = s.spec;
        ObjectNode o = MAPPER.createObjectNode();
        o.put("number", spec.number());
        o.put("match", spec.match());
        ArrayNode prefixes = o.putArray("prefixes");
        for (IpCidr p : s.prefixes) {
            prefixes.add(p.toString());
        }
        o.put("at_seconds", seconds(spec.atNanos() / 1_000_000));
        o.put("for_seconds", spec.forNanos() == null ? null : seconds(spec.forNanos() / 1_000_000));
        ObjectNode settings = o.putObject("settings");
        spec.settings().describe().forEach(settings::put);
        o.put("state", s.state.toString());
        time(o, "started_at", s.startedMillis);
        time(o, "ended_at", s.endedMillis);
        if (s.problem != null) {
            o.put("problem", s.problem);
        }
        o.put("source", spec.source());
        ArrayNode list = o.putArray("expectations");
        for (Check c : s.checks) {
            ObjectNode x = list.addObject();
            x.put("name", c.name());
            x.put("kind", c.spec.kind().key());
            x.put("limit", c.spec.limitText());
            x.put("result", c.verdict().toString());
            x.put("measure", c.measure());
            x.put("measured_seconds", c.measuredMillis() == null ? null : seconds(c.measuredMillis()));
            x.put("message", c.message());
            time(x, "decided_at", c.decidedMillis());
            x.put("decided_after_seconds", c.decidedMillis() < 0 ? null : seconds(c.decidedMillis() - start));
        }
        return o;
    }

    /**
     * Writes the JUnit XML to the scenario's {@code report} and the JSON beside it (each through a temporary file,
     * so a reader never sees half of one).
     *
     * @return what the summary line adds: {@code "; report /tmp/drill.xml"}, why it could not be written, or ""
     */
    static String write(ScenarioRunner r) {
        ScenarioSpec spec = r.spec();
        if (spec.report() == null) {
            return "";
        }
        try {
            replace(spec.report(), out -> xml(r, out));
            replace(spec.jsonReport(), out -> MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, json(r)));
            return "; report " + spec.report() + " and " + spec.jsonReport();
        } catch (IOException | XMLStreamException e) {
            return "; the report could not be written to " + spec.report() + ": " + e.getMessage();
        }
    }

    @FunctionalInterface
    private interface Writer {
        void write(OutputStream out) throws IOException, XMLStreamException;
    }

    private static void replace(Path file, Writer writer) throws IOException, XMLStreamException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The JUnit XML: {@code testsuites > testsuite > testcase (properties, failure | system-out)}. */
    static void xml(ScenarioRunner r, OutputStream out) throws XMLStreamException {
        ScenarioSpec spec = r.spec();
        int tests = spec.expectations();
        int failures = r.expectations(Verdict.FAILED) + r.expectations(Verdict.PENDING);
        long upTo = r.endMillis() >= 0 ? r.endMillis() : r.now();
        String time = secondsText(Math.max(0, upTo - r.startMillis()));
        XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
        w.writeStartDocument("UTF-8", "1.0");
        nl(w, 0);
        w.writeStartElement("testsuites");
        w.writeAttribute("name", "tunecho");
        w.writeAttribute("tests", Integer.toString(tests));
        w.writeAttribute("failures", Integer.toString(failures));
        w.writeAttribute("errors", "0");
        w.writeAttribute("time", time);
        nl(w, 1);
        w.writeStartElement("testsuite");
        w.writeAttribute("name", spec.name());
        w.writeAttribute("tests", Integer.toString(tests));
        w.writeAttribute("failures", Integer.toString(failures));
        w.writeAttribute("errors", "0");
        w.writeAttribute("skipped", "0");
        w.writeAttribute("time", time);
        if (r.startMillis() >= 0) {
            w.writeAttribute("timestamp", Instant.ofEpochMilli(r.startMillis()).toString());
        }
        for (StepRun s : r.steps()) {
            for (Check c : s.checks) {
                testcase(w, spec.name(), s, c, upTo);
            }
        }
        nl(w, 1);
        w.writeEndElement();
        nl(w, 0);
        w.writeEndElement();
        nl(w, 0);
        w.writeEndDocument();
        w.close();
    }

    private static void testcase(XMLStreamWriter w, String suite, StepRun s, Check c, long upTo)
            throws XMLStreamException {
        nl(w, 2);
        w.writeStartElement("testcase");
        w.writeAttribute("classname", suite);
        w.writeAttribute("name", c.name());
        long watched = s.started() ? (c.decidedMillis() >= 0 ? c.decidedMillis() : upTo) - s.startedMillis : 0;
        w.writeAttribute("time", secondsText(Math.max(0, watched)));
        if (c.measuredMillis() != null) {
            nl(w, 3);
            w.writeStartElement("properties");
            nl(w, 4);
            w.writeEmptyElement("property");
            w.writeAttribute("name", c.measure());
            w.writeAttribute("value", secondsText(c.measuredMillis()));
            nl(w, 3);
            w.writeEndElement();
        }
        String message = c.message() == null ? "not decided" : c.message();
        nl(w, 3);
        if (c.verdict() == Verdict.PASSED) {
            w.writeStartElement("system-out");
            w.writeCharacters(message);
        } else {
            w.writeStartElement("failure");
            w.writeAttribute("type", c.spec.kind().key());
            w.writeAttribute("message", message);
            w.writeCharacters(c.name() + ": " + message);
        }
        w.writeEndElement();
        nl(w, 2);
        w.writeEndElement();
    }

    private static void nl(XMLStreamWriter w, int depth) throws XMLStreamException {
        w.writeCharacters("\n" + "  ".repeat(depth));
    }

    private static void time(ObjectNode o, String field, long millis) {
        o.put(field, millis < 0 ? null : Instant.ofEpochMilli(millis).toString());
    }

    /** Milliseconds as seconds. */
    static double seconds(long millis) {
        return millis / 1000.0;
    }

    /** Milliseconds as seconds, exactly, as JUnit XML writes them: {@code 41.2}, {@code 10}. */
    static String secondsText(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }
}
