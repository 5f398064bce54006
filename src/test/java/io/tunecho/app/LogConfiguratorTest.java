package io.tunecho.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

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

    private static String pattern(LoggerContext context) {
        ConsoleAppender<?> console = (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender("STDOUT");
        return ((PatternLayoutEncoder) console.getEncoder()).getPattern();
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
        assertEquals(pattern(fromXml), pattern(builtIn));
    }
}
