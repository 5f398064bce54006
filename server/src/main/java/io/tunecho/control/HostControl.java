package io.tunecho.control;

import io.tunecho.config.ConfigException;
import io.tunecho.config.Setting;
import io.tunecho.config.Settings;
import io.tunecho.config.TunechoConfig;
import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.Durations;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.Timeline;
import io.tunecho.wire.IpCidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Changes the virtual hosts while tunecho answers. The pipelines read the host table through {@link #table()}; this
 * builds each new table (from the configuration with the admin API's overrides over it), routes new prefixes into
 * the interface, swaps the table in for the next packet, and records what changed in the {@link EventLog}.
 * Everything here runs on the caller's thread or on the control thread (override expiry, the timeline watch),
 * never on an event loop; changes are serialized.
 */
public final class HostControl implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostControl.class);
    /** How often the timeline watch looks for entries that moved to another step. */
    private static final long WATCH_MILLIS = 100;
    /** The most configuration entries logged one line each at start-up. */
    public static final int START_LINES = 20;

    /** Settings that a running server cannot change: they shape the interface or the event loops. */
    public static final List<Setting<?>> RESTART_SETTINGS = Settings.ALL.stream().filter(Setting::restartOnly).toList();

    /** Routes prefixes into the interface (the server's channel does it). */
    public interface Routes {
        void add(IpCidr prefix) throws IOException;

        void delete(IpCidr prefix) throws IOException;

        /** No routes (for tests and {@code --check}). */
        Routes NONE = new Routes() {
            @Override
            public void add(IpCidr prefix) {
            }

            @Override
            public void delete(IpCidr prefix) {
            }
        };
    }

    /** An override of the admin API: settings over an entry's (or a new entry), until it expires. */
    public record HostOverride(String profile, HostSettings settings, long expiresAtNanos, Instant expiresAt) {
        public boolean expires() {
            return expiresAt != null;
        }
    }

    private final AtomicReference<HostTable> table;
    private final Routes routes;
    private final EventLog events;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Map<IpCidr, HostOverride> overrides = new LinkedHashMap<>();
    private final Map<IpCidr, ScheduledFuture<?>> expiries = new LinkedHashMap<>();
    private final Map<HostEntry, Integer> steps = new IdentityHashMap<>();
    private TunechoConfig config;
    private long reloads;
    private long reloadsRefused;

    /**
     * @param config the configuration in force
     * @param table  the table built from it
     */
    public HostControl(TunechoConfig config, HostTable table, Routes routes, EventLog events, Clock clock) {
        this.config = config;
        this.table = new AtomicReference<>(table);
        this.routes = routes;
        this.events = events;
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tunecho-control");
            t.setDaemon(true);
            return t;
        });
        for (HostEntry e : table.entries()) {
            if (e.timeline() != null) {
                steps.put(e, currentStep(e));
            }
        }
    }

    /** Starts watching timelines, so that each step change is recorded. */
    public void start() {
        executor.scheduleWithFixedDelay(this::watchTimelines, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The host table in force, for the pipelines. */
    public Supplier<HostTable> table() {
        return table::get;
    }

    public HostTable current() {
        return table.get();
    }

    public synchronized TunechoConfig config() {
        return config;
    }

    /** The control thread: where changes that must not wait on a caller run. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    public EventLog events() {
        return events;
    }

    /** Reloads (accepted, refused) since start. */
    public synchronized long[] reloadCounts() {
        return new long[] {reloads, reloadsRefused};
    }

    /** The overrides in force, by prefix. */
    public synchronized Map<IpCidr, HostOverride> overrides() {
        return Map.copyOf(overrides);
    }

    /**
     * Applies a new configuration (the config file read again): the host table is replaced for the next packet;
     * overrides stay over it. A configuration that changes what needs a restart is refused whole.
     *
     * @return one line that says what is in force now
     * @throws ConfigException why it was refused; nothing changed
     */
    public synchronized String reload(TunechoConfig next) throws ConfigException {
        try {
            List<String> restart = new ArrayList<>();
            for (Setting<?> s : RESTART_SETTINGS) {
                if (!Objects.equals(config.get(s), next.get(s))) {
                    restart.add(s.key());
                }
            }
            if (!restart.isEmpty()) {
                throw new ConfigException(String.join(", ", restart) + " changed: that needs a restart; nothing was "
                        + "changed");
            }
            String result = apply(next, overrides, Cause.RELOAD);
            config = next;
            reloads++;
            return result;
        } catch (ConfigException e) {
            reloadsRefused++;
            throw e;
        }
    }

    /**
     * Sets an override: {@code settings} over the entry whose prefix is exactly {@code match} (or a new entry for
     * it), over its timeline too, until {@code forNanos} from now (or until removed, when {@code null}).
     *
     * @return the entry in force afterwards
     */
    public synchronized HostEntry put(IpCidr match, String profile, HostSettings settings, Long forNanos)
            throws ConfigException {
        IpCidr key = match.subnet();
        Instant expiresAt = forNanos == null ? null : Instant.now().plusNanos(forNanos);
        HostOverride o = new HostOverride(profile, settings, forNanos == null ? 0 : clock.nanoTime() + forNanos, expiresAt);
        Map<IpCidr, HostOverride> next = new LinkedHashMap<>(overrides);
        next.put(key, o);
        apply(config, next, Cause.API);
        overrides.put(key, o);
        ScheduledFuture<?> old = expiries.remove(key);
        if (old != null) {
            old.cancel(false);
        }
        if (forNanos != null) {
            expiries.put(key, executor.schedule(() -> expire(key, o), forNanos, TimeUnit.NANOSECONDS));
        }
        return table.get().prefixes().get(key);
    }

    /** Removes the override of {@code match}; returns whether there was one. */
    public synchronized boolean delete(IpCidr match) throws ConfigException {
        IpCidr key = match.subnet();
        if (!overrides.containsKey(key)) {
            return false;
        }
        Map<IpCidr, HostOverride> next = new LinkedHashMap<>(overrides);
        next.remove(key);
        apply(config, next, Cause.API);
        overrides.remove(key);
        cancelExpiry(key);
        return true;
    }

    /** Removes every override; returns how many there were. */
    public synchronized int reset() throws ConfigException {
        int n = overrides.size();
        if (n == 0) {
            return 0;
        }
        apply(config, Map.of(), Cause.API);
        overrides.clear();
        for (ScheduledFuture<?> f : expiries.values()) {
            f.cancel(false);
        }
        expiries.clear();
        return n;
    }

    private synchronized void expire(IpCidr key, HostOverride o) {
        if (overrides.get(key) != o) {
            return; // replaced or removed meanwhile
        }
        Map<IpCidr, HostOverride> next = new LinkedHashMap<>(overrides);
        next.remove(key);
        try {
            apply(config, next, Cause.EXPIRY);
            overrides.remove(key);
            expiries.remove(key);
        } catch (ConfigException | RuntimeException e) {
            log.warn("the override of {} ran out but cannot be removed: {}", key, e.getMessage());
        }
    }

    private void cancelExpiry(IpCidr key) {
        ScheduledFuture<?> f = expiries.remove(key);
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Builds and swaps in the table of {@code cfg} with {@code over} over it; records the changes. */
    private String apply(TunechoConfig cfg, Map<IpCidr, HostOverride> over, Cause cause) throws ConfigException {
        HostTable old = table.get();
        HostTable next;
        try {
            next = HostTable.build(withOverrides(cfg.hostConfig(), over), old, clock);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        List<IpCidr> subnets = cfg.hostConfig().subnets();
        List<IpCidr> before = old.routesOutside(subnets);
        List<IpCidr> after = next.routesOutside(subnets);
        List<IpCidr> added = new ArrayList<>();
        try {
            for (IpCidr r : after) {
                if (!before.contains(r)) {
                    routes.add(r);
                    added.add(r);
                }
            }
        } catch (IOException e) {
            for (IpCidr r : added) {
                deleteRoute(r);
            }
            throw new ConfigException("cannot route the new host entries into " + cfg.interfaceName() + ": "
                    + e.getMessage() + "; nothing was changed");
        }
        table.set(next);
        for (IpCidr r : before) {
            if (!after.contains(r)) {
                deleteRoute(r);
            }
        }
        recordChanges(old, next, cause);
        return next.toString();
    }

    private void deleteRoute(IpCidr r) {
        try {
            routes.delete(r);
        } catch (IOException e) {
            log.warn("cannot remove the route to {}: {}", r, e.getMessage());
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

    /** One event per entry whose behaviour changed, was added or was removed. */
    private void recordChanges(HostTable old, HostTable next, Cause cause) {
        Map<IpCidr, HostEntry> before = new LinkedHashMap<>();
        for (HostEntry e : old.entries()) {
            before.put(e.match(), e);
        }
        Instant now = Instant.now();
        for (HostEntry e : next.entries()) {
            HostEntry was = before.remove(e.match());
            String change = was == null ? "added: " + describe(e) : diff(was, e);
            if (!change.isEmpty()) {
                events.record(new HostEvent(now, cause, e.match().toString(), change));
            }
            synchronized (steps) {
                steps.remove(was);
                if (e.timeline() != null) {
                    steps.put(e, currentStep(e));
                }
            }
        }
        for (HostEntry gone : before.values()) {
            events.record(new HostEvent(now, cause, gone.match().toString(), "removed"));
            synchronized (steps) {
                steps.remove(gone);
            }
        }
    }

    /** The settings of an entry that differ from the built-in defaults, as the config would write them. */
    static String describe(HostEntry e) {
        StringBuilder sb = new StringBuilder("profile ").append(e.profile());
        Map<String, String> defaults = HostSettings.BUILT_IN.describe();
        e.baseBehaviour().settings().describe().forEach((k, v) -> {
            if (!v.equals(defaults.get(k))) {
                sb.append(", ").append(k).append(": ").append(v);
            }
        });
        if (e.timeline() != null) {
            sb.append(", timeline: ").append(e.timeline().spec());
        }
        return sb.toString();
    }

    /** {@code state: up -> down, delay: 0s -> 300ms}, or "" when nothing changed. */
    static String diff(HostEntry was, HostEntry now) {
        StringBuilder sb = new StringBuilder();
        Map<String, String> a = was.baseBehaviour().settings().describe();
        Map<String, String> b = now.baseBehaviour().settings().describe();
        for (Map.Entry<String, String> e : b.entrySet()) {
            String old = a.get(e.getKey());
            if (!e.getValue().equals(old)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(": ").append(old).append(" -> ")
                        .append(e.getValue());
            }
        }
        for (String k : a.keySet()) {
            if (!b.containsKey(k)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(k).append(": ").append(a.get(k)).append(" -> none");
            }
        }
        String ta = was.timeline() == null ? "none" : was.timeline().spec().toString();
        String tb = now.timeline() == null ? "none" : now.timeline().spec().toString();
        if (!ta.equals(tb)) {
            sb.append(sb.length() == 0 ? "" : ", ").append("timeline: ").append(ta).append(" -> ").append(tb);
        }
        if (!Objects.equals(was.profile(), now.profile())) {
            sb.append(sb.length() == 0 ? "" : ", ").append("profile: ").append(was.profile()).append(" -> ")
                    .append(now.profile());
        }
        return sb.toString();
    }

    private int currentStep(HostEntry e) {
        return e.timeline().stepAt(e.elapsedNanos(clock.nanoTime(), 0));
    }

    /** Records each timed entry that moved to another step (its first address, for a staggered one). */
    private void watchTimelines() {
        try {
            HostTable t = table.get();
            Instant now = Instant.now();
            for (HostEntry e : t.entries()) {
                Timeline tl = e.timeline();
                if (tl == null) {
                    continue;
                }
                int step = currentStep(e);
                Integer was;
                synchronized (steps) {
                    was = steps.put(e, step);
                }
                if (was != null && was != step) {
                    events.record(new HostEvent(now, Cause.TIMELINE, e.match().toString(), stepChange(e, was, step)));
                }
            }
        } catch (RuntimeException x) {
            log.warn("the timeline watch failed: {}", x.toString());
        }
    }

    private static String stepChange(HostEntry e, int was, int step) {
        Timeline tl = e.timeline();
        Behaviour from = was < 0 ? e.baseBehaviour() : tl.step(was);
        Behaviour to = step < 0 ? e.baseBehaviour() : tl.step(step);
        StringBuilder sb = new StringBuilder(step < 0 ? "timeline ended" : "step " + (step + 1) + "/" + tl.size()
                + " for " + Durations.format(tl.spec().steps().get(step).nanos()));
        Map<String, String> a = from.settings().describe();
        to.settings().describe().forEach((k, v) -> {
            if (!v.equals(a.get(k))) {
                sb.append(", ").append(k).append(": ").append(a.get(k)).append(" -> ").append(v);
            }
        });
        if (e.staggerNanos() > 0) {
            sb.append(" (first address; each next one ").append(Durations.format(e.staggerNanos())).append(" later)");
        }
        return sb.toString();
    }

    /**
     * Records the configuration's entries as the starting point (one event per entry that is not plain). Each is a
     * log line up to {@link #START_LINES} entries; a larger configuration gets one line that counts them (10,000
     * lines cost ~0.4 s of start-up), and its events stay in the record and the events file.
     */
    public void recordStart() {
        Instant now = Instant.now();
        List<HostEntry> entries = table.get().entries().stream().filter(e -> !e.source().equals("answer")).toList();
        boolean lines = entries.size() <= START_LINES;
        for (HostEntry e : entries) {
            events.record(new HostEvent(now, Cause.CONFIG, e.match().toString(), describe(e)), lines);
        }
        if (!lines) {
            log.info("{} host entries from the configuration (one line each up to {}; GET /api/events and "
                    + "events.file list them)", entries.size(), START_LINES);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        events.close();
    }
}
