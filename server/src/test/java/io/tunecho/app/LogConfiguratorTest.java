package io.tunecho.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The built-in logging configuration says what config/logback.xml says. */
class LogConfiguratorTest {

    private static Map<String, Level> levels(LoggerContext context) {
        Map<String, Level> levels = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                levels.put(logger.getName(), logger.getLevel());
            }
        }
        return levels;
    }

    /** What the context's console appender writes for an event. */
    @SuppressWarnings("unchecked")
    private static String line(LoggerContext context, ILoggingEvent event) {
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) context
                .getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        return new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    private static ILoggingEvent event(Level level, String logger, String message, Throwable thrown) {
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), new LoggerContext().getLogger(logger), level,
                message, thrown, new Object[] {"x"});
        e.setThreadName("multiThreadIoEventLoopGroup-2-1");
        e.setTimeStamp(1_790_000_000_007L);
        return e;
    }

    @Test
    void builtInEqualsConfigLogbackXml() throws Exception {
        LoggerContext fromXml = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(fromXml);
        joran.doConfigure("config/logback.xml");

        LoggerContext builtIn = new LoggerContext();
        LogConfigurator configurator = new LogConfigurator();
        configurator.setContext(builtIn);
        configurator.configure(builtIn);

        assertEquals(levels(fromXml), levels(builtIn));
        for (ILoggingEvent e : new ILoggingEvent[] {
                event(Level.INFO, "io.tunecho.app.Main", "answering on {}", null),
                event(Level.WARN, "io.tunecho.app.ErrorLogger", "{} failed", null),
                event(Level.ERROR, "Root", "boom {}", new java.io.IOException("device gone"))}) {
            assertEquals(line(fromXml, e), line(builtIn, e));
        }
    }
}
