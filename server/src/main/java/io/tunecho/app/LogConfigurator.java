package io.tunecho.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Map;

/**
 * The server's default logging: what {@code config/logback.xml} says, built in code. Parsing the XML costs about
 * 100 ms of start-up (logback's Joran); this does the same in about none. With
 * {@code -Dlogback.configurationFile=FILE} logback reads that file instead, as usual.
 *
 * <p>Only the server jar registers this class (a {@code META-INF/services} entry added when it is shaded): the
 * library jar leaves an embedding application's logging alone. {@code LogConfiguratorTest} keeps it equal to
 * {@code config/logback.xml}.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";
    static final Level ROOT_LEVEL = Level.WARN;
    static final Map<String, Level> LEVELS = Map.of(
            "io.tunecho", Level.INFO,
            "io.tunecho.handler", Level.INFO,
            "io.netty", Level.WARN,
            "io.netty.util.internal.MacAddressUtil", Level.ERROR,
            "io.netty.util.NetUtilInitializations", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogLayout layout = new LogLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(ROOT_LEVEL);
        root.addAppender(console);
        for (Map.Entry<String, Level> e : LEVELS.entrySet()) {
            context.getLogger(e.getKey()).setLevel(e.getValue());
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Switches the console to one JSON object per line (logback's own {@link JsonEncoder}), as {@code log.format:
     * json} asks; a logging config file of the user's ({@code -Dlogback.configurationFile}) is left alone.
     */
    static void useJson() {
        if (System.getProperty("logback.configurationFile") != null
                || !(org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return;
        }
        LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.Appender<ILoggingEvent> old = root.getAppender("STDOUT");
        if (!(old instanceof ConsoleAppender)) {
            return;
        }
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        root.detachAppender(old);
        root.addAppender(console);
        old.stop();
    }
}
