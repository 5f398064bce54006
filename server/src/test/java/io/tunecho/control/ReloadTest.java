package io.tunecho.control;

import io.tunecho.config.ConfigException;
import io.tunecho.config.TunechoConfig;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reload: what may change applies at once, a change that needs a restart or a broken host list is refused whole. */
class ReloadTest {
    private final ControlFixture f;

    ReloadTest() throws Exception {
        f = new ControlFixture("hosts:\n  - { match: 198.18.0.10, ttl: 100 }\n", KernelRoutes.NONE);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private void assertRefused(TunechoConfig next, String message) {
        HostTable before = f.control.current();
        TunechoConfig config = f.control.config();
        ConfigException e = assertThrows(ConfigException.class, () -> f.control.reload(next));
        assertEquals(message, e.getMessage());
        assertSame(before, f.control.current(), "the table stays");
        assertSame(config, f.control.config(), "the configuration stays");
        assertEquals(List.of(), f.events());
    }

    @Test
    void aChangeOfARestartOnlySettingIsRefusedNamingIt() throws Exception {
        assertRefused(ControlFixture.config(", mtu: 1400", "hosts:\n  - { match: 198.18.0.10, state: down }\n"),
                "interface.mtu changed: that needs a restart; nothing was changed");
        assertArrayEquals(new long[] {0, 1}, f.control.reloadCounts());
    }

    @Test
    void everyRestartOnlySettingThatChangedIsNamed() throws Exception {
        assertRefused(ControlFixture.config(", mtu: 1400", "http: { port: 9000 }\n"),
                "interface.mtu, http.port changed: that needs a restart; nothing was changed");
    }

    @Test
    void aHostListThatDoesNotBuildIsRefused() throws Exception {
        assertRefused(ControlFixture.config("hosts:\n  - { match: 198.18.0.10, profile: nope }\n"),
                "test.yaml:3: profile 'nope' is not defined (profiles: default)");
        assertArrayEquals(new long[] {0, 1}, f.control.reloadCounts());
    }

    @Test
    void anAcceptableConfigurationAppliesAndSaysWhatChanged() throws Exception {
        TunechoConfig next = ControlFixture.config("hosts:\n  - { match: 198.18.0.10, ttl: 100, state: down }\n"
                + "  - { match: 198.18.0.20, delay: 300ms }\n");
        String result = f.control.reload(next);
        assertEquals(f.control.current().toString(), result);
        assertSame(next, f.control.config());
        assertEquals(HostState.DOWN,
                f.control.current().prefixes().get(IpCidr.parse("198.18.0.10/32")).baseBehaviour().state());
        assertEquals(List.of("reload 198.18.0.10/32: state: up -> down",
                "reload 198.18.0.20/32: added: profile default, delay: 300ms"), f.events());
        assertArrayEquals(new long[] {1, 0}, f.control.reloadCounts());
    }

    @Test
    void theSameConfigurationAgainChangesNothing() throws Exception {
        f.control.reload(ControlFixture.config("hosts:\n  - { match: 198.18.0.10, ttl: 100 }\n"));
        assertEquals(List.of(), f.events());
        assertArrayEquals(new long[] {1, 0}, f.control.reloadCounts());
    }

    @Test
    void theTimelineWatchRunsOnlyWhileATableHasATimeline() throws Exception {
        f.control.start();
        assertFalse(f.control.watching(), "no timeline: the control thread is not woken for one");
        f.control.reload(ControlFixture.config("hosts:\n  - match: 198.18.0.10\n"
                + "    timeline: { repeat: true, steps: [ { for: 2s, state: up }, { for: 1s, state: down } ] }\n"));
        assertTrue(f.control.watching(), "a timeline is watched from the reload that brings it");
        f.control.reload(ControlFixture.config("hosts:\n  - { match: 198.18.0.10, ttl: 100 }\n"));
        assertFalse(f.control.watching(), "and no longer once it is gone");
    }
}
