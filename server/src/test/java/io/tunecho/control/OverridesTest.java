package io.tunecho.control;

import io.tunecho.control.HostControl.HostOverride;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API's overrides: over an entry or as a new one, until deleted, reset, or their {@code for} runs out. */
class OverridesTest {
    private static final IpCidr HOST = IpCidr.parse("198.18.0.30/32");
    private static final IpCidr RANGE = IpCidr.parse("198.18.0.64/28");
    private static final HostSettings DOWN = HostSettings.builder().set(HostSetting.STATE, HostState.DOWN).build();
    private static final long THREE_SECONDS = TimeUnit.SECONDS.toNanos(3);

    private final ControlFixture f;

    OverridesTest() throws Exception {
        f = new ControlFixture("hosts:\n  - { match: 198.18.0.64/28, ttl: 128 }\n", KernelRoutes.NONE);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void anOverrideWithAForIsGoneWhenTheClockPassesItsEnd() throws Exception {
        HostEntry e = f.control.put(HOST, null, DOWN, THREE_SECONDS);
        assertEquals(HostState.DOWN, e.baseBehaviour().state());
        assertEquals("api", e.source());
        HostOverride o = f.control.overrides().get(HOST);
        assertEquals(ControlFixture.START.plusSeconds(3), o.expiresAt());
        assertEquals(f.clock.nanoTime() + THREE_SECONDS, o.expiresAtNanos());

        f.clock.advance(2_999, TimeUnit.MILLISECONDS);
        f.control.expireDue();
        assertTrue(f.control.overrides().containsKey(HOST), "not before its end");

        f.clock.advance(1, TimeUnit.MILLISECONDS);
        f.control.expireDue();
        assertTrue(f.control.overrides().isEmpty());
        assertNull(f.control.current().prefixes().get(HOST), "the entry it added is gone");
        assertEquals(List.of("api 198.18.0.30/32: added: profile default, state: down",
                "expiry 198.18.0.30/32: removed"), f.events());
        HostEvent expiry = f.events.recent(1).get(0);
        assertEquals(ControlFixture.START.plusSeconds(3), expiry.time());
    }

    @Test
    void anOverrideOfAnEntryGivesItsSettingsBackWhenItRunsOut() throws Exception {
        f.control.put(RANGE, null, HostSettings.builder().set(HostSetting.TTL, 200).build(), THREE_SECONDS);
        assertEquals(200, f.control.current().prefixes().get(RANGE).baseBehaviour().ttl());
        f.clock.advance(3, TimeUnit.SECONDS);
        f.control.expireDue();
        assertEquals(128, f.control.current().prefixes().get(RANGE).baseBehaviour().ttl());
        assertEquals(List.of("api 198.18.0.64/28: ttl: 128 -> 200", "expiry 198.18.0.64/28: ttl: 200 -> 128"),
                f.events());
    }

    @Test
    void aReplacedOverrideKeepsItsOwnEnd() throws Exception {
        f.control.put(HOST, null, DOWN, THREE_SECONDS);
        f.clock.advance(1, TimeUnit.SECONDS);
        f.control.put(HOST, null, DOWN, null);
        f.clock.advance(1, TimeUnit.HOURS);
        f.control.expireDue();
        assertFalse(f.control.overrides().get(HOST).expires());
        assertEquals(HostState.DOWN, f.control.current().prefixes().get(HOST).baseBehaviour().state());
    }

    @Test
    void onlyTheOverridesThatRanOutGo() throws Exception {
        f.control.put(HOST, null, DOWN, THREE_SECONDS);
        f.control.put(RANGE, null, DOWN, 2 * THREE_SECONDS);
        f.clock.advance(3, TimeUnit.SECONDS);
        f.control.expireDue();
        assertEquals(List.of(RANGE), List.copyOf(f.control.overrides().keySet()));
    }

    @Test
    void deleteAndResetRemoveOverridesAndTheirTimers() throws Exception {
        f.control.put(HOST, null, DOWN, THREE_SECONDS);
        f.control.put(RANGE, null, DOWN, null);
        assertTrue(f.control.delete(HOST));
        assertFalse(f.control.delete(HOST), "nothing left to delete");
        f.control.put(HOST, null, DOWN, null);
        assertEquals(2, f.control.reset());
        assertEquals(0, f.control.reset());
        assertTrue(f.control.overrides().isEmpty());
        assertEquals(128, f.control.current().prefixes().get(RANGE).baseBehaviour().ttl());
        assertEquals(HostState.UP, f.control.current().prefixes().get(RANGE).baseBehaviour().state());
    }

    @Test
    void anOverrideStaysOverAReload() throws Exception {
        f.control.put(RANGE, null, DOWN, null);
        f.control.reload(ControlFixture.config("hosts:\n  - { match: 198.18.0.64/28, ttl: 100 }\n"));
        HostEntry e = f.control.current().prefixes().get(RANGE);
        assertEquals(100, e.baseBehaviour().ttl());
        assertEquals(HostState.DOWN, e.baseBehaviour().state());
    }

    @Test
    void theControlThreadEndsAnOverrideWhenItsTimeComes() throws Exception {
        try (EventLog events = new EventLog(10, null);
             HostControl control = new HostControl(ControlFixture.config(""),
                     HostTable.build(ControlFixture.config("").hostConfig(), null, Clock.SYSTEM), KernelRoutes.NONE,
                     events, Clock.SYSTEM)) {
            Instant before = Instant.now();
            control.put(HOST, null, DOWN, TimeUnit.MILLISECONDS.toNanos(50));
            assertFalse(control.overrides().get(HOST).expiresAt().isBefore(before.plusMillis(50)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!control.overrides().isEmpty() && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            assertTrue(control.overrides().isEmpty(), "the expiry timer ran");
            assertEquals(Cause.EXPIRY, events.recent(1).get(0).cause());
        }
    }
}
