package io.tunecho.config;

import java.util.Objects;

/**
 * One setting, defined once: its key in the config file ({@code interface.mtu}), its command-line option
 * ({@code --mtu}, if it has one), its type, default and help text. The YAML loader, the command line, {@code --help}
 * and every message about the setting take these from here.
 *
 * @param <T> the type of the setting's value
 */
public final class Setting<T> {
    private final String key;
    private final String option;
    private final String metavar;
    private final ValueType<T> type;
    private final T defaultValue;
    private final String defaultText;
    private final String help;
    private final boolean restartOnly;

    private Setting(Builder<T> b) {
        this.key = b.key;
        this.option = b.option;
        this.metavar = b.metavar;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.defaultText = b.defaultText != null ? b.defaultText
                : b.defaultValue == null ? "none" : b.type.format(b.defaultValue);
        this.help = b.help;
        this.restartOnly = b.restartOnly;
    }

    static <T> Builder<T> define(String key, ValueType<T> type) {
        return new Builder<>(key, type);
    }

    /** The dotted key in the config file: {@code interface.mtu}, {@code transport}. */
    public String key() {
        return key;
    }

    /** The section the key lives in ({@code interface}), or "" at the top level. */
    public String section() {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? "" : key.substring(0, dot);
    }

    /** The key's last part: {@code mtu}. */
    public String name() {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** The command-line option ({@code --mtu}), or {@code null} for a setting of the file only. */
    public String option() {
        return option;
    }

    /** The option's value in the help text: {@code N}, {@code CIDR}. */
    public String metavar() {
        return metavar;
    }

    public ValueType<T> type() {
        return type;
    }

    /** The built-in default, or {@code null} when it is none or depends on other settings. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as the help text shows it. */
    public String defaultText() {
        return defaultText;
    }

    public String help() {
        return help;
    }

    /**
     * Whether only a restart changes it (it shapes the interface, the event loops or the HTTP server): a reload that
     * changes it is refused whole.
     */
    public boolean restartOnly() {
        return restartOnly;
    }

    @Override
    public String toString() {
        return key;
    }

    static final class Builder<T> {
        private final String key;
        private final ValueType<T> type;
        private String option;
        private String metavar;
        private T defaultValue;
        private String defaultText;
        private String help = "";
        private boolean restartOnly;

        private Builder(String key, ValueType<T> type) {
            this.key = Objects.requireNonNull(key);
            this.type = Objects.requireNonNull(type);
        }

        Builder<T> option(String option, String metavar) {
            this.option = option;
            this.metavar = metavar;
            return this;
        }

        Builder<T> defaultValue(T value) {
            this.defaultValue = value;
            return this;
        }

        /** For a default that depends on other settings: what the help says instead of a value. */
        Builder<T> defaultText(String text) {
            this.defaultText = text;
            return this;
        }

        Builder<T> help(String help) {
            this.help = help;
            return this;
        }

        Builder<T> restartOnly() {
            this.restartOnly = true;
            return this;
        }

        Setting<T> build() {
            return new Setting<>(this);
        }
    }
}
