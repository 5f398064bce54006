package io.tunecho.control;

import io.tunecho.control.HostControl.HostOverride;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The admin API's overrides in force, by prefix, and the timers that end those given a {@code for}: when one runs
 * out, the control thread runs the expiry task, which removes whatever is {@link #due()} by the clock. Not
 * thread-safe: {@link HostControl} guards it.
 */
final class Overrides {
    private final Map<IpCidr, HostOverride> overrides = new LinkedHashMap<>();
    private final Map<IpCidr, ScheduledFuture<?>> expiries = new LinkedHashMap<>();
    private final Clock clock;
    private final java.time.Clock wall;
    private final ScheduledExecutorService executor;
    private final Runnable expiry;

    /**
     * @param executor where the expiry task runs
     * @param expiry   runs when an override runs out
     */
    Overrides(Clock clock, java.time.Clock wall, ScheduledExecutorService executor, Runnable expiry) {
        this.clock = clock;
        this.wall = wall;
        this.executor = executor;
        this.expiry = expiry;
    }

    /** An override of {@code settings} until {@code forNanos} from now, or until removed when {@code null}. */
    HostOverride create(String profile, HostSettings settings, Long forNanos) {
        if (forNanos == null) {
            return new HostOverride(profile, settings, 0, null);
        }
        return new HostOverride(profile, settings, clock.nanoTime() + forNanos, wall.instant().plusNanos(forNanos));
    }

    /** The overrides in force (a copy). */
    Map<IpCidr, HostOverride> all() {
        return Map.copyOf(overrides);
    }

    int size() {
        return overrides.size();
    }

    boolean contains(IpCidr key) {
        return overrides.containsKey(key);
    }

    /** The overrides in force with {@code o} set for {@code key}, in a new map; nothing changes here. */
    Map<IpCidr, HostOverride> with(IpCidr key, HostOverride o) {
        Map<IpCidr, HostOverride> next = new LinkedHashMap<>(overrides);
        next.put(key, o);
        return next;
    }

    /** The overrides in force without {@code key}'s, in a new map; nothing changes here. */
    Map<IpCidr, HostOverride> without(IpCidr key) {
        Map<IpCidr, HostOverride> next = new LinkedHashMap<>(overrides);
        next.remove(key);
        return next;
    }

    /** Sets {@code o} for {@code key}, replacing its override and timer; times its expiry when it has one. */
    void put(IpCidr key, HostOverride o) {
        overrides.put(key, o);
        cancelExpiry(key);
        if (o.expires()) {
            expiries.put(key, executor.schedule(expiry, o.expiresAtNanos() - clock.nanoTime(),
                    TimeUnit.NANOSECONDS));
        }
    }

    void remove(IpCidr key) {
        overrides.remove(key);
        cancelExpiry(key);
    }

    void clear() {
        overrides.clear();
        for (ScheduledFuture<?> f : expiries.values()) {
            f.cancel(false);
        }
        expiries.clear();
    }

    /** The prefixes whose override has run out by the clock. */
    List<IpCidr> due() {
        long now = clock.nanoTime();
        List<IpCidr> due = new ArrayList<>();
        overrides.forEach((key, o) -> {
            if (o.expires() && now - o.expiresAtNanos() >= 0) {
                due.add(key);
            }
        });
        return due;
    }

    private void cancelExpiry(IpCidr key) {
        ScheduledFuture<?> f = expiries.remove(key);
        if (f != null) {
            f.cancel(false);
        }
    }

    /** The configuration's host entries with the overrides applied (an override of a new prefix adds an entry). */
    static HostConfig withOverrides(HostConfig base, Map<IpCidr, HostOverride> over) {
        if (over.isEmpty()) {
            return base;
        }
        Map<IpCidr, HostOverride> left = new LinkedHashMap<>(over);
        List<HostSpec> hosts = new ArrayList<>();
        for (HostSpec h : base.hosts()) {
            HostOverride o = left.remove(h.match());
            hosts.add(o == null ? h : h.withOverride(o.profile(), o.settings()));
        }
        for (Map.Entry<IpCidr, HostOverride> e : left.entrySet()) {
            hosts.add(new HostSpec(e.getKey(), e.getValue().profile(), HostSettings.EMPTY, 0, "api",
                    e.getValue().settings()));
        }
        return new HostConfig(base.interfaceAddress(), base.interfaceAddress6(), base.answer(), base.profiles(), hosts);
    }
}
