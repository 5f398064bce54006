package io.tunecho.config;

import java.util.Locale;

/** How log lines are written. */
public enum LogFormat {
    /** Readable lines: config/logback.xml's pattern. */
    TEXT,
    /** One JSON object per line (logback's JsonEncoder), for log collectors. */
    JSON;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
