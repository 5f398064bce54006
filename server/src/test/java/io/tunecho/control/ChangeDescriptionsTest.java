package io.tunecho.control;

import io.tunecho.control.ChangeDescriptions.Change;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.hosts.TimelineSpec;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The text of host events, in the config file's names: what was added, what changed from what to what, what went. */
class ChangeDescriptionsTest {
    private static final IpCidr IFACE = IpCidr.parse("198.18.0.1/24");
    private static final Map<String, HostSettings> PROFILES = Map.of("slow",
            HostSettings.builder().set(HostSetting.DELAY, 20_000_000L).build());
    private final ManualClock clock = new ManualClock();

    private static HostSpec host(String match, String profile, HostSettings settings) {
        return new HostSpec(IpCidr.parse(match), profile, settings, 0, "test.yaml:1");
    }

    private HostTable table(HostSpec... hosts) {
        return HostTable.build(new HostConfig(IFACE, List.of(), PROFILES, List.of(hosts)), null, clock);
    }

    private static HostEntry entry(HostTable t, String match) {
        return t.prefixes().get(IpCidr.parse(match));
    }

    private static String lines(List<Change> changes) {
        StringBuilder sb = new StringBuilder();
        changes.forEach(c -> sb.append(c.entry()).append(": ").append(c.change()).append('\n'));
        return sb.toString();
    }

    @Test
    void addedChangedAndRemovedEntriesAreALineEachAndUnchangedOnesNone() {
        HostTable old = table(
                host("198.18.0.10", null, HostSettings.builder().set(HostSetting.TTL, 100).build()),
                host("198.18.0.20", null, HostSettings.EMPTY),
                host("198.18.0.30", null, HostSettings.builder().set(HostSetting.STATE, HostState.DOWN).build()));
        HostTable next = table(
                host("198.18.0.10", null, HostSettings.builder().set(HostSetting.TTL, 100).build()),
                host("198.18.0.20", "slow", HostSettings.builder().set(HostSetting.TTL, 128).set(HostSetting.STATE, HostState.DOWN).build()),
                host("198.18.0.40", null, HostSettings.builder().set(HostSetting.DELAY, 300_000_000L).build()));
        assertEquals("""
                198.18.0.20/32: state: up -> down, ttl: 64 -> 128, delay: 0s -> 20ms, profile: default -> slow
                198.18.0.40/32: added: profile default, delay: 300ms
                198.18.0.30/32: removed
                """, lines(ChangeDescriptions.between(old, next)));
    }

    @Test
    void anEntryIsDescribedByWhatDiffersFromTheBuiltInDefaults() {
        HostTable t = table(host("198.18.0.10", "slow", HostSettings.builder().set(HostSetting.TTL, 64).set(HostSetting.LOSS, null).build()));
        assertEquals("profile slow, delay: 20ms", ChangeDescriptions.describe(entry(t, "198.18.0.10/32")));
    }

    @Test
    void aTimelineIsDescribedAndItsChangeShown() {
        TimelineSpec spec = new TimelineSpec(List.of(
                new TimelineSpec.Step(4_000_000_000L, HostSettings.EMPTY),
                new TimelineSpec.Step(2_000_000_000L, HostSettings.builder().set(HostSetting.STATE, HostState.DOWN).build())), true);
        HostTable old = table(host("198.18.0.10", null, HostSettings.EMPTY));
        HostTable next = table(host("198.18.0.10", null, HostSettings.builder().set(HostSetting.TIMELINE, spec).build()));
        assertEquals("198.18.0.10/32: timeline: none -> {repeat: true, steps: [{for: 4s}, {for: 2s, state: down}]}\n",
                lines(ChangeDescriptions.between(old, next)));
        assertEquals("profile default, timeline: {repeat: true, steps: [{for: 4s}, {for: 2s, state: down}]}",
                ChangeDescriptions.describe(entry(next, "198.18.0.10/32")));
    }

    @Test
    void aSettingThatIsNoLongerSetReadsNone() {
        HostSettings gateway = HostSettings.builder().set(HostSetting.GATEWAY, IpCidr.parse("198.18.0.254")).build();
        HostTable old = table(host("198.18.0.10", null, gateway));
        HostTable next = table(host("198.18.0.10", null, HostSettings.EMPTY));
        assertEquals("198.18.0.10/32: gateway: 198.18.0.254 -> none\n", lines(ChangeDescriptions.between(old, next)));
    }
}
