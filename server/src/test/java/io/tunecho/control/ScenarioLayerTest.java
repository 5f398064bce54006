package io.tunecho.control;

import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostState;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A scenario's steps in force: over the configuration and the overrides, then gone without a trace. */
class ScenarioLayerTest {
    private static final IpCidr HOST = IpCidr.parse("198.18.0.30/32");
    private static final IpCidr PART = IpCidr.parse("198.18.0.80/28");
    private static final IpCidr RANGE = IpCidr.parse("198.18.0.64/27");
    private static final HostSettings DOWN = HostSettings.of(HostSetting.STATE, HostState.DOWN);

    private final ControlFixture f;

    ScenarioLayerTest() throws Exception {
        f = new ControlFixture("hosts:\n  - { match: 198.18.0.64/27, ttl: 128 }\n  - { match: 198.18.0.90, "
                + "delay: 5ms }\n", KernelRoutes.NONE);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private HostEntry answering(String address) {
        return f.control.current().lookupIpv4(IpCidr.parse(address).ipv4Address());
    }

    @Test
    void aStepOnAnAddressAddsAnEntryUntilItEnds() throws Exception {
        f.control.scenario(Map.of(HOST, DOWN), "scenario outage step 1 starts");
        assertEquals(HostState.DOWN, answering("198.18.0.30").baseBehaviour().state());
        f.control.scenario(Map.of(), "scenario outage step 1 ends");
        assertNull(f.control.current().prefixes().get(HOST));
        assertEquals(List.of("scenario 198.18.0.30/32: scenario outage step 1 starts: added: profile default, "
                + "state: down", "scenario 198.18.0.30/32: scenario outage step 1 ends: removed"), f.events());
    }

    @Test
    void aStepOnPartOfAnEntryKeepsTheEntrysSettingsAndReachesTheEntriesWithinIt() throws Exception {
        f.control.scenario(Map.of(PART, HostSettings.of(HostSetting.TTL, 200)), "scenario s step 2 starts");
        assertEquals(200, answering("198.18.0.81").baseBehaviour().ttl());
        assertEquals(200, answering("198.18.0.90").baseBehaviour().ttl(), "the entry within the step's prefix");
        assertEquals(5_000_000L, answering("198.18.0.90").baseBehaviour().delayNanos(), "keeps its own settings");
        assertEquals(128, answering("198.18.0.70").baseBehaviour().ttl(), "the rest of the entry is untouched");
        f.control.scenario(Map.of(HOST, DOWN), "scenario s step 3 starts");
        assertEquals(128, answering("198.18.0.81").baseBehaviour().ttl(), "a new layer replaces the old one whole");
        assertEquals(HostState.DOWN, answering("198.18.0.30").baseBehaviour().state());
        f.control.scenario(Map.of(), "scenario s step 2 ends");
        assertEquals(128, answering("198.18.0.81").baseBehaviour().ttl());
        assertEquals(HostState.UP, answering("198.18.0.90").baseBehaviour().state());
    }

    @Test
    void aStepIsOverAnOverrideWhichIsInForceAgainAfterIt() throws Exception {
        f.control.put(RANGE, null, HostSettings.of(HostSetting.TTL, 99), null);
        f.control.scenario(Map.of(RANGE, DOWN), "scenario s step 1 starts");
        HostEntry during = f.control.current().prefixes().get(RANGE);
        assertEquals(HostState.DOWN, during.baseBehaviour().state());
        assertEquals(99, during.baseBehaviour().ttl(), "the override's other settings stay");
        f.control.put(RANGE, null, HostSettings.of(HostSetting.STATE, HostState.UP), null);
        assertEquals(HostState.DOWN, f.control.current().prefixes().get(RANGE).baseBehaviour().state(),
                "an override set while the step lasts is under it");
        f.control.scenario(Map.of(), "scenario s step 1 ends");
        assertEquals(HostState.UP, f.control.current().prefixes().get(RANGE).baseBehaviour().state());
        assertEquals(128, f.control.current().prefixes().get(RANGE).baseBehaviour().ttl());
    }

    @Test
    void aReloadKeepsTheStepInForce() throws Exception {
        f.control.scenario(Map.of(HOST, DOWN), "scenario s step 1 starts");
        f.control.reload(ControlFixture.config("hosts:\n  - { match: 198.18.0.64/27, ttl: 64 }\n"));
        assertEquals(HostState.DOWN, answering("198.18.0.30").baseBehaviour().state());
        assertEquals(64, answering("198.18.0.70").baseBehaviour().ttl());
    }
}
