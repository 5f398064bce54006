package io.tunecho.config;

import io.tunecho.control.ReloadGate;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's settings, enumerated: unique keys, and which of them only a restart changes. */
class SettingsTest {
    @Test
    void keysAndOptionsAreUnique() {
        Set<String> keys = new HashSet<>();
        Set<String> options = new HashSet<>();
        for (Setting<?> s : Settings.ALL) {
            assertTrue(keys.add(s.key()), "twice: " + s.key());
            assertTrue(s.option() == null || options.add(s.option()), "twice: " + s.option());
        }
    }

    @Test
    void aReloadChangesProfilesHostsAndTheAnswerOnly() {
        Set<String> reloadable = new HashSet<>();
        for (Setting<?> s : Settings.ALL) {
            if (!s.restartOnly()) {
                reloadable.add(s.key());
            }
        }
        // and the scenario: a reload takes a changed one in, to run at its next restart
        assertEquals(Set.of("answer", "profiles", "hosts", "scenario"), reloadable);
    }

    @Test
    void theRestartOnlySettingsAreTheOnesThatShapeTheInterfaceTheLoopsAndTheServer() {
        List<String> restartOnly = ReloadGate.RESTART_SETTINGS.stream().map(Setting::key).toList();
        assertEquals(Set.of("interface.name", "interface.address", "interface.address6", "interface.mtu",
                "interface.queues", "interface.recreate", "interface.txqueuelen", "limits.replies-per-second",
                "limits.replies-per-source", "user", "transport", "seed", "max-delayed", "http.address", "http.port",
                "http.token", "http.allow-open", "http.protect-metrics", "events.file", "events.keep", "log.format",
                "capture.file", "capture.max-size", "log.summary-interval", "probes.max-addresses", "probes.coverage"),
                Set.copyOf(restartOnly));
        assertEquals(restartOnly.size(), Set.copyOf(restartOnly).size());
    }
}
