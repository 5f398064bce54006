package io.tunecho.config;

/**
 * A usage or configuration error: its message is one line for the user that says what is wrong and where. It may
 * name the setting at fault ({@link #field()}), as the admin API reports it.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String field;

    public ConfigException(String message) {
        this(message, null);
    }

    /** @param field the setting at fault, as the user wrote it ({@code delay}, {@code hosts[2].loss.p}), or null */
    public ConfigException(String message, String field) {
        super(oneLine(message));
        this.field = field == null ? null : oneLine(field);
    }

    /**
     * The message as one printable line: the values it quotes come from the user (a command line, a file, an API
     * body), and a control character in them must neither break the line nor forge another log entry.
     */
    private static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != 0x7f && c != '\u2028' && c != '\u2029') {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }

    /** The setting at fault, or {@code null}. */
    public String field() {
        return field;
    }
}
