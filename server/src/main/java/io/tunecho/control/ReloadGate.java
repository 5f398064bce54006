package io.tunecho.control;

import io.tunecho.config.ConfigException;
import io.tunecho.config.Setting;
import io.tunecho.config.Settings;
import io.tunecho.config.TunechoConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which configurations a running server can take: a reload may change the hosts and what can be changed in place,
 * not a setting that needs a restart.
 */
public final class ReloadGate {
    /** Settings that a running server cannot change: they shape the interface or the event loops. */
    public static final List<Setting<?>> RESTART_SETTINGS = Settings.ALL.stream().filter(Setting::restartOnly).toList();

    private ReloadGate() {
    }

    /**
     * Lets {@code next} replace {@code current}, or says why not.
     *
     * @throws ConfigException naming every restart-only setting that differs
     */
    static void admit(TunechoConfig current, TunechoConfig next) throws ConfigException {
        List<String> restart = new ArrayList<>();
        for (Setting<?> s : RESTART_SETTINGS) {
            if (!Objects.equals(current.get(s), next.get(s))) {
                restart.add(s.key());
            }
        }
        if (!restart.isEmpty()) {
            throw new ConfigException(String.join(", ", restart) + " changed: that needs a restart; nothing was "
                    + "changed");
        }
    }
}
