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
    public static final List<Setting<?>> RESTART_SETTINGS = List.of(Settings.INTERFACE_NAME,
            Settings.INTERFACE_ADDRESS, Settings.INTERFACE_ADDRESS6, Settings.INTERFACE_MTU, Settings.INTERFACE_QUEUES, Settings.INTERFACE_RECREATE, Settings.INTERFACE_TXQUEUELEN,
            Settings.LIMITS_REPLIES, Settings.LIMITS_REPLIES_PER_SOURCE, Settings.USER,
            Settings.TRANSPORT,
            Settings.SEED, Settings.MAX_DELAYED, Settings.HTTP_ADDRESS, Settings.HTTP_PORT, Settings.HTTP_TOKEN,
            Settings.HTTP_ALLOW_OPEN, Settings.HTTP_PROTECT_METRICS, Settings.EVENTS_FILE, Settings.EVENTS_KEEP,
            Settings.LOG_FORMAT, Settings.CAPTURE_FILE, Settings.CAPTURE_MAX_SIZE, Settings.LOG_SUMMARY_INTERVAL);

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
