package io.tunecho.app.config;

/** A usage or configuration error: its message is one line for the user that says what is wrong and where. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
