package io.tunecho.control;

import io.tunecho.config.ConfigException;
import io.tunecho.config.TunechoConfig;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostTable;
import io.tunecho.wire.IpCidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Changes the virtual hosts while tunecho answers. The pipelines read the host table through {@link #table()}; this
 * builds each new table (from the configuration with the admin API's {@code Overrides} over it), routes new
 * prefixes into the interface ({@code RouteSync}), swaps the table in for the next packet, and records what changed
 * in the {@link EventLog} ({@code ChangeDescriptions}). A reload passes the {@link ReloadGate} first; the
 * {@code TimelineWatcher} records timeline steps. Everything here runs on the caller's thread or on the control
 * thread (override expiry, the timeline watch), never on an event loop; changes are serialized.
 */
public final class HostControl implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostControl.class);
    /** How often the timeline watch looks for entries that moved to another step. */
    private static final long WATCH_MILLIS = 100;
    /** The most configuration entries logged one line each at start-up. */
    public static final int START_LINES = 20;

    /** An override of the admin API: settings over an entry's (or a new entry), until it expires. */
    public record HostOverride(String profile, HostSettings settings, long expiresAtNanos, Instant expiresAt) {
        public boolean expires() {
            return expiresAt != null;
        }
    }

    private final AtomicReference<HostTable> table;
    private final RouteSync routes;
    private final EventLog events;
    private final Clock clock;
    private final java.time.Clock wall;
    private final ScheduledExecutorService executor;
    private final Overrides overrides;
    private final TimelineWatcher timelines;
    /** The periodic timeline watch, while the table in force has a timed entry; else {@code null}. */
    private ScheduledFuture<?> watch;
    private boolean started;
    private TunechoConfig config;
    /** The settings of the scenario's steps in force, by prefix ({@link ScenarioLayer}). */
    private Map<IpCidr, HostSettings> scenarioLayer = Map.of();
    private long reloads;
    private long reloadsRefused;

    /**
     * @param config the configuration in force
     * @param table  the table built from it
     * @param clock  the hosts' clock (timelines, expiry)
     */
    public HostControl(TunechoConfig config, HostTable table, KernelRoutes routes, EventLog events, Clock clock) {
        this(config, table, routes, events, clock, java.time.Clock.systemUTC());
    }

    /** @param wall where the times of events and of expiries come from */
    HostControl(TunechoConfig config, HostTable table, KernelRoutes routes, EventLog events, Clock clock,
            java.time.Clock wall) {
        this.config = config;
        this.table = new AtomicReference<>(table);
        this.routes = new RouteSync(routes);
        this.events = events;
        this.clock = clock;
        this.wall = wall;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tunecho-control");
            t.setDaemon(true);
            return t;
        });
        this.overrides = new Overrides(clock, wall, executor, this::expireDue);
        this.timelines = new TimelineWatcher(this.table::get, clock, wall, events);
    }

    /** Starts watching timelines, so that each step change is recorded. */
    public synchronized void start() {
        started = true;
        watchTimelines(table.get());
    }

    /**
     * Watches timelines while {@code t} has a timed entry, and not otherwise: a table without timelines wakes the
     * control thread for nothing (at idle, every wake-up of another thread competes with the event loop's).
     */
    private synchronized void watchTimelines(HostTable t) {
        boolean timed = t.entries().stream().anyMatch(e -> e.timeline() != null);
        if (timed && watch == null && started) {
            watch = executor.scheduleWithFixedDelay(timelines::check, WATCH_MILLIS, WATCH_MILLIS,
                    TimeUnit.MILLISECONDS);
        } else if (!timed && watch != null) {
            watch.cancel(false);
            watch = null;
        }
    }

    /** Whether the timeline watch runs now (for tests). */
    synchronized boolean watching() {
        return watch != null;
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
        return overrides.all();
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
            ReloadGate.admit(config, next);
            String result = apply(next, overrides.all(), Cause.RELOAD);
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
        HostOverride o = overrides.create(profile, settings, forNanos);
        apply(config, overrides.with(key, o), Cause.API);
        overrides.put(key, o);
        return table.get().prefixes().get(key);
    }

    /** Removes the override of {@code match}; returns whether there was one. */
    public synchronized boolean delete(IpCidr match) throws ConfigException {
        IpCidr key = match.subnet();
        if (!overrides.contains(key)) {
            return false;
        }
        apply(config, overrides.without(key), Cause.API);
        overrides.remove(key);
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
        return n;
    }

    /**
     * Puts the settings of a scenario's steps in force, over the configuration and the overrides: {@code layer}
     * replaces the previous one whole (empty: none, every host as the configuration and the overrides say).
     *
     * @param note which step, for the events ({@code scenario outage step 1 starts})
     */
    public synchronized void scenario(Map<IpCidr, HostSettings> layer, String note) throws ConfigException {
        Map<IpCidr, HostSettings> next = Map.copyOf(layer);
        apply(config, overrides.all(), next, Cause.SCENARIO, note);
        scenarioLayer = next;
    }

    /** Removes the overrides that ran out by the clock (the expiry timers run this on the control thread). */
    synchronized void expireDue() {
        for (IpCidr key : overrides.due()) {
            try {
                apply(config, overrides.without(key), Cause.EXPIRY);
                overrides.remove(key);
            } catch (ConfigException | RuntimeException e) {
                log.warn("the override of {} ran out but cannot be removed: {}", key, e.getMessage());
            }
        }
    }

    /** Builds and swaps in the table of {@code cfg} with {@code over} over it; records the changes. */
    private String apply(TunechoConfig cfg, Map<IpCidr, HostOverride> over, Cause cause) throws ConfigException {
        return apply(cfg, over, scenarioLayer, cause, null);
    }

    /** The same with {@code layer} over everything; {@code note} (or null) opens each event's text. */
    private String apply(TunechoConfig cfg, Map<IpCidr, HostOverride> over, Map<IpCidr, HostSettings> layer,
            Cause cause, String note) throws ConfigException {
        HostTable old = table.get();
        HostTable next;
        try {
            next = HostTable.build(ScenarioLayer.over(Overrides.withOverrides(cfg.hostConfig(), over), layer), old,
                    clock);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        List<IpCidr> subnets = cfg.hostConfig().subnets();
        List<IpCidr> before = old.routesOutside(subnets);
        List<IpCidr> after = next.routesOutside(subnets);
        routes.addNew(before, after, cfg.interfaceName());
        table.set(next);
        routes.removeOld(before, after);
        Instant now = wall.instant();
        for (ChangeDescriptions.Change c : ChangeDescriptions.between(old, next)) {
            events.record(new HostEvent(now, cause, c.entry().toString(),
                    note == null ? c.change() : note + ": " + c.change()));
        }
        timelines.reset(next);
        watchTimelines(next);
        return next.toString();
    }

    /**
     * Records the configuration's entries as the starting point (one event per entry that is not plain). Each is a
     * log line up to {@link #START_LINES} entries; a larger configuration gets one line that counts them (10,000
     * lines cost ~0.4 s of start-up), and its events stay in the record and the events file.
     */
    public void recordStart() {
        Instant now = wall.instant();
        List<HostEntry> entries = table.get().entries().stream().filter(e -> !e.source().equals("answer")).toList();
        boolean lines = entries.size() <= START_LINES;
        for (HostEntry e : entries) {
            events.record(new HostEvent(now, Cause.CONFIG, e.match().toString(), ChangeDescriptions.describe(e)),
                    lines);
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
