package io.tunecho.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent changes of host behaviour: the last {@code keep} of them in memory (for {@code GET /api/events}), each
 * also one log line and, when a file is configured, one JSON object appended to it per line, so that a test can
 * assert "the host went down at T and came back at T+30s". Thread-safe.
 */
public final class EventLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLog.class);

    private final int keep;
    private final ArrayDeque<HostEvent> recent;
    private final Path file;
    private OutputStream out;
    private long sequence;

    /**
     * @param keep how many events to keep in memory
     * @param file where to append them as JSON lines, or {@code null}
     * @throws IOException when the file cannot be opened for appending
     */
    public EventLog(int keep, Path file) throws IOException {
        this.keep = keep;
        this.recent = new ArrayDeque<>(Math.min(keep, 1024));
        this.file = file;
        if (file != null) {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        }
    }

    /** Records one change, with a log line. */
    public synchronized void record(HostEvent e) {
        record(e, true);
    }

    /** Records one change; {@code logLine}: also as a line of the log (else in memory and the file only). */
    public synchronized void record(HostEvent e, boolean logLine) {
        sequence++;
        if (recent.size() == keep) {
            recent.removeFirst();
        }
        recent.addLast(e);
        if (logLine) {
            log.info("host {} ({}): {}", e.entry(), e.cause(), e.change());
        }
        if (out != null) {
            try {
                out.write((toJson(e) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException x) {
                log.warn("cannot append to the events file {}: {}; events go to the log only from now on", file,
                        x.getMessage());
                closeFile();
            }
        }
    }

    /** The last {@code limit} events, oldest first. */
    public synchronized List<HostEvent> recent(int limit) {
        List<HostEvent> all = new ArrayList<>(recent);
        return all.subList(Math.max(0, all.size() - limit), all.size());
    }

    /** How many events were recorded since start (not only those kept). */
    public synchronized long count() {
        return sequence;
    }

    /** One event as a JSON object: {@code {"time": ..., "cause": ..., "entry": ..., "change": ...}}. */
    public static String toJson(HostEvent e) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = Generators.JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("time", e.time().toString());
            g.writeStringField("cause", e.cause().toString());
            g.writeStringField("entry", e.entry());
            g.writeStringField("change", e.change());
            g.writeEndObject();
        } catch (IOException x) {
            throw new IllegalStateException(x); // a StringWriter does not fail
        }
        return w.toString();
    }

    private void closeFile() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
        out = null;
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            closeFile();
        }
    }

    /** Jackson's factory, made when the first event is written as JSON: a start without either loads no Jackson. */
    private static final class Generators {
        static final JsonFactory JSON = new JsonFactory();
    }
}
