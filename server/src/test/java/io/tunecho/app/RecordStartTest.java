package io.tunecho.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tunecho.config.CommandLine;
import io.tunecho.config.TunechoConfig;
import io.tunecho.control.EventLog;
import io.tunecho.control.HostControl;
import io.tunecho.hosts.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HostControl#recordStart()}: the configuration's entries recorded at start-up: a line each for a small configuration; for a large one, one line
 * that counts them, while the record and the events file still hold every entry.
 */
class RecordStartTest {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.tunecho.control");

    @BeforeEach
    void listen() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(lines);
    }

    private List<String> start(Path dir, int entries) throws Exception {
        StringBuilder yaml = new StringBuilder("hosts:\n");
        for (int i = 0; i < entries; i++) {
            yaml.append("  - { match: 198.18.0.").append(10 + i).append(", ttl: 100 }\n");
        }
        Path file = dir.resolve("hosts.yaml");
        Files.writeString(file, yaml);
        Path eventsFile = dir.resolve("events.jsonl");
        TunechoConfig config = CommandLine.parse("--config", file.toString()).config();
        try (EventLog events = new EventLog(1000, eventsFile);
             HostControl control = new HostControl(config, TunechoServer.hostTable(config, null), null, events,
                     Clock.SYSTEM)) {
            control.recordStart();
            assertEquals(entries, events.count());
            assertEquals(entries, events.recent(1000).size());
        }
        assertEquals(entries, Files.readAllLines(eventsFile).size());
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aFewEntriesALineEach(@TempDir Path dir) throws Exception {
        List<String> logged = start(dir, HostControl.START_LINES);
        assertEquals(HostControl.START_LINES, logged.size(), logged.toString());
        assertEquals("host 198.18.0.10/32 (config): profile default, ttl: 100", logged.get(0));
    }

    @Test
    void manyEntriesOneLine(@TempDir Path dir) throws Exception {
        List<String> logged = start(dir, HostControl.START_LINES + 1);
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("21 host entries from the configuration"), logged.get(0));
    }
}
