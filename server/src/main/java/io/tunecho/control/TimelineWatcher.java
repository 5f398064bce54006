package io.tunecho.control;

import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Records each step change of the timed entries: remembers the step each one was in when last looked at, and on
 * each {@link #check()} records those that moved (the first address of a staggered entry stands for it). The
 * control thread checks periodically; a new table is {@link #reset} so that its entries start from their step now.
 */
final class TimelineWatcher {
    private static final Logger log = LoggerFactory.getLogger(TimelineWatcher.class);

    private final Supplier<HostTable> table;
    private final Clock clock;
    private final java.time.Clock wall;
    private final EventLog events;
    private final Map<HostEntry, Integer> steps = new IdentityHashMap<>();

    TimelineWatcher(Supplier<HostTable> table, Clock clock, java.time.Clock wall, EventLog events) {
        this.table = table;
        this.clock = clock;
        this.wall = wall;
        this.events = events;
        reset(table.get());
    }

    /** Starts over from {@code t}: its timed entries at their step now, nothing recorded for them yet. */
    void reset(HostTable t) {
        synchronized (steps) {
            steps.clear();
            for (HostEntry e : t.entries()) {
                if (e.timeline() != null) {
                    steps.put(e, currentStep(e));
                }
            }
        }
    }

    /** Records each timed entry of the table in force that moved to another step since the last look. */
    void check() {
        try {
            Instant now = wall.instant();
            for (HostEntry e : table.get().entries()) {
                if (e.timeline() == null) {
                    continue;
                }
                int step = currentStep(e);
                Integer was;
                synchronized (steps) {
                    was = steps.put(e, step);
                }
                if (was != null && was != step) {
                    events.record(new HostEvent(now, Cause.TIMELINE, e.match().toString(),
                            ChangeDescriptions.stepChange(e, was, step)));
                }
            }
        } catch (RuntimeException x) {
            log.warn("the timeline watch failed: {}", x.toString());
        }
    }

    private int currentStep(HostEntry e) {
        return e.timeline().stepAt(e.elapsedNanos(clock.nanoTime(), 0));
    }
}
