package io.tunecho.hosts;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a profile, of a host entry, of a timeline step or of a run-time override: a value for each
 * {@link HostSetting}, or none ({@code null}: not set here). Layers combine with {@link #overriddenBy}: the built-in
 * defaults, the {@code default} profile, the entry's profile, the entry's own settings, the current timeline step.
 * Immutable.
 */
public final class HostSettings {
    public static final HostSettings EMPTY = new Builder().build();

    /** Linux's behaviour: each setting's {@link HostSetting#builtIn()} (TTL 64, answering at once, losing nothing). */
    public static final HostSettings BUILT_IN = builtIn();

    /** Indexed by {@link HostSetting#index()}. */
    private final Object[] values;

    private HostSettings(Object[] values) {
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Just {@code setting} set to {@code value}. */
    public static <T> HostSettings of(HostSetting<T> setting, T value) {
        return new Builder().set(setting, value).build();
    }

    private static HostSettings builtIn() {
        Builder b = new Builder();
        for (HostSetting<?> s : HostSetting.ALL) {
            b.values[s.index()] = s.builtIn();
        }
        return b.build();
    }

    /** The value of {@code setting}, or {@code null} when these settings leave it unset. */
    public <T> T get(HostSetting<T> setting) {
        return setting.cast(values[setting.index()]);
    }

    /** These settings with every setting that {@code top} sets replaced by its value. */
    public HostSettings overriddenBy(HostSettings top) {
        if (top == null || top == EMPTY) {
            return this;
        }
        Object[] merged = values.clone();
        for (int i = 0; i < merged.length; i++) {
            if (top.values[i] != null) {
                merged[i] = top.values[i];
            }
        }
        return new HostSettings(merged);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        System.arraycopy(values, 0, b.values, 0, values.length);
        return b;
    }

    /** The settings that are set, by their keys, as text (for logs, events and the admin API). */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        for (HostSetting<?> s : HostSetting.ALL) {
            Object v = values[s.index()];
            if (v != null) {
                m.put(s.key(), s.formatStored(v));
            }
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostSettings && Arrays.equals(values, ((HostSettings) o).values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return describe().toString();
    }

    /** Sets settings one by one; unset ones stay {@code null}. */
    public static final class Builder {
        private final Object[] values = new Object[HostSetting.ALL.size()];

        private Builder() {
        }

        /** Sets {@code setting} to {@code value} ({@code null}: unset); a list is copied, settings are immutable. */
        public <T> Builder set(HostSetting<T> setting, T value) {
            values[setting.index()] = value instanceof List<?> list ? List.copyOf(list) : value;
            return this;
        }

        public HostSettings build() {
            return new HostSettings(values.clone());
        }
    }
}
