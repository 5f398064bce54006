package io.tunecho.control;

import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.hosts.TimelineSpec;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each step a timed entry moves to is recorded once, when the watch next looks; a new table starts afresh. */
class TimelineWatcherTest {
    private static final IpCidr IFACE = IpCidr.parse("198.18.0.1/24");
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private final ManualClock clock = new ManualClock();
    private final EventLog events;

    TimelineWatcherTest() throws IOException {
        events = new EventLog(100, null);
    }

    private HostTable table(boolean repeat, long staggerNanos) {
        TimelineSpec spec = new TimelineSpec(List.of(
                new TimelineSpec.Step(4_000_000_000L, HostSettings.EMPTY),
                new TimelineSpec.Step(2_000_000_000L, HostSettings.builder().set(HostSetting.STATE, HostState.DOWN).build())), repeat);
        HostSpec timed = new HostSpec(IpCidr.parse("198.18.0.64/30"), null,
                HostSettings.builder().set(HostSetting.TIMELINE, spec).build(), staggerNanos, "test.yaml:1");
        HostSpec plain = new HostSpec(IpCidr.parse("198.18.0.10/32"), null, HostSettings.builder().set(HostSetting.TTL, 9).build(), 0,
                "test.yaml:2");
        return HostTable.build(new HostConfig(IFACE, List.of(), Map.of(), List.of(timed, plain)), null, clock);
    }

    private List<String> recorded() {
        return events.recent(100).stream().map(e -> e.cause() + " " + e.entry() + ": " + e.change()).toList();
    }

    private TimelineWatcher watcher(HostTable[] table) {
        return new TimelineWatcher(() -> table[0], clock, java.time.Clock.fixed(NOW, ZoneOffset.UTC), events);
    }

    @Test
    void eachStepChangeIsRecordedOnce() {
        TimelineWatcher w = watcher(new HostTable[] {table(true, 0)});
        w.check();
        assertEquals(List.of(), recorded(), "still in its first step");
        clock.advance(4, TimeUnit.SECONDS);
        w.check();
        w.check();
        clock.advance(2, TimeUnit.SECONDS);
        w.check();
        assertEquals(List.of("timeline 198.18.0.64/30: step 2/2 for 2s, state: up -> down",
                "timeline 198.18.0.64/30: step 1/2 for 4s, state: down -> up"), recorded());
        assertEquals(NOW, events.recent(1).get(0).time());
    }

    @Test
    void aTimelineThatDoesNotRepeatEndsInTheEntrysOwnSettings() {
        TimelineWatcher w = watcher(new HostTable[] {table(false, 1_000_000_000L)});
        clock.advance(4, TimeUnit.SECONDS);
        w.check();
        clock.advance(2, TimeUnit.SECONDS);
        w.check();
        assertEquals(List.of(
                "timeline 198.18.0.64/30: step 2/2 for 2s, state: up -> down (first address; each next one 1s later)",
                "timeline 198.18.0.64/30: timeline ended, state: down -> up (first address; each next one 1s later)"),
                recorded());
    }

    @Test
    void aNewTableStartsFromItsStepsNow() {
        HostTable[] table = {table(true, 0)};
        TimelineWatcher w = watcher(table);
        clock.advance(4, TimeUnit.SECONDS);
        table[0] = table(true, 0); // a reload: the entry starts over in its first step
        w.reset(table[0]);
        w.check();
        assertEquals(List.of(), recorded());
        clock.advance(4, TimeUnit.SECONDS);
        w.check();
        assertEquals(List.of("timeline 198.18.0.64/30: step 2/2 for 2s, state: up -> down"), recorded());
    }
}
