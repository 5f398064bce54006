package io.tunecho.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Formats a log line as {@code config/logback.xml}'s pattern {@value LogConfigurator#PATTERN} does, without
 * logback's pattern compiler (about 80 classes to load at start-up). {@code LogConfiguratorTest} checks that both
 * write the same lines.
 */
final class LogLayout extends LayoutBase<ILoggingEvent> {
    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(128);
        LocalTime t = LocalTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), zone);
        pad2(sb, t.getHour()).append(':');
        pad2(sb, t.getMinute()).append(':');
        pad2(sb, t.getSecond()).append('.');
        int millis = t.getNano() / 1_000_000;
        sb.append(millis < 100 ? (millis < 10 ? "00" : "0") : "").append(millis).append(' ');
        String level = event.getLevel().toString();
        sb.append(level);
        for (int i = level.length(); i < 5; i++) {
            sb.append(' ');
        }
        sb.append(" [").append(event.getThreadName()).append("] ");
        String logger = event.getLoggerName();
        sb.append(logger, logger.lastIndexOf('.') + 1, logger.length());
        sb.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            sb.append(ThrowableProxyUtil.asString(thrown)); // ends with a line separator of its own
        }
        return sb.toString();
    }

    private static StringBuilder pad2(StringBuilder sb, int v) {
        return sb.append(v < 10 ? "0" : "").append(v);
    }
}
