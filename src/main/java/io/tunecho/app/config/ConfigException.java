package io.tunecho.app.config;

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
        super(message);
        this.field = field;
    }

    /** The setting at fault, or {@code null}. */
    public String field() {
        return field;
    }
}
