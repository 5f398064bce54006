package io.tunecho.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunecho.config.ConfigException;
import io.tunecho.config.ScenarioSpec;
import io.tunecho.control.HostControl;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostSettings;
import io.tunecho.wire.IpCidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Runs one scenario on the control thread: starts and ends its steps at their offsets from {@link #start()} (a step's
 * settings go into force over everything through {@link HostControl#scenario}, and go away at its end, so its hosts
 * are what the configuration and the admin API say again), hands each alert and each tick to the expectations, which
 * decide as soon as they can, and at the end reports: a log line per expectation, a summary line, the JUnit XML and
 * its JSON twin, and {@link #finished()} completes. Times are the hosts' wall clock in milliseconds, the clock of
 * the probes and of the alerts. A reload never restarts it; {@link #restart()} does, with the configuration's
 * scenario then in force.
 */
public final class ScenarioRunner {
    private static final Logger log = LoggerFactory.getLogger(ScenarioRunner.class);
    /** How often steps start and end, deadlines pass and probes are read: the precision of every figure. */
    static final long TICK_MILLIS = 100;

    private final HostControl control;
    private final Clock clock;
    private final ToLongFunction<IpCidr> lastProbeMillis;
    private final ScheduledExecutorService executor;
    private ScenarioSpec spec;
    /** The configuration's scenario when last looked at: a reload that changes it is logged once. */
    private ScenarioSpec noticed;
    private List<StepRun> steps = List.of();
    private boolean running;
    private long startMillis = -1;
    private long endMillis = -1;
    private CompletableFuture<Boolean> finished = new CompletableFuture<>();
    private ScheduledFuture<?> ticker;
    /** Whether steps' settings are in force now (a layer over the hosts). */
    private boolean layered;
    /** Whether {@link #start()} was called: the control thread ticks from then on, while the scenario runs. */
    private boolean ticking;
    /** Expectations by verdict, for metrics: read without the lock. */
    private volatile Map<Verdict, Integer> counts = Map.of();

    /**
     * @param spec            the scenario to run
     * @param control         changes the hosts; its thread runs the scenario
     * @param clock           the hosts' clock
     * @param lastProbeMillis the last probe of one address (the hosts' clock), -1 when never probed
     */
    public ScenarioRunner(ScenarioSpec spec, HostControl control, Clock clock,
            ToLongFunction<IpCidr> lastProbeMillis) {
        this.spec = Objects.requireNonNull(spec);
        this.noticed = spec;
        this.control = control;
        this.clock = clock;
        this.lastProbeMillis = lastProbeMillis;
        this.executor = control.executor();
        countVerdicts();
    }

    /** Starts the scenario now (when tunecho starts answering): its offsets count from here. */
    public void start() {
        long now = clock.currentTimeMillis();
        synchronized (this) {
            ticking = true;
        }
        executor.execute(() -> begin(now));
    }

    /**
     * Starts the scenario over from now, with the configuration's scenario (which a reload may have changed): the
     * steps in force are reverted first. Runs on the caller's thread; the admin API calls it on the control thread.
     */
    public synchronized void restart() {
        ScenarioSpec inConfig = control.config().scenario();
        if (running) {
            log.info("scenario {} restarts", spec.name());
        }
        stopTicking();
        running = false;
        putInForce("scenario " + spec.name() + " restarts");
        if (inConfig != null) {
            spec = inConfig;
        }
        noticed = inConfig;
        if (finished.isDone()) {
            finished = new CompletableFuture<>();
        }
        begin(clock.currentTimeMillis());
    }

    /** Where the scenario stands: each step's state and each expectation's result so far. */
    public synchronized JsonNode status() {
        return ScenarioReport.json(this);
    }

    /**
     * Completes when the scenario ends: {@code true} when every expectation passed (exit code 0 with
     * {@code exit: true}), {@code false} otherwise (exit code 3).
     */
    public synchronized CompletableFuture<Boolean> finished() {
        return finished;
    }

    /** An alert as tunecho received it; from any thread (the alert intake's listener): handled on the control thread. */
    public void alert(AlertNotice n) {
        executor.execute(() -> onAlert(n));
    }

    /** How many expectations have this verdict now (for metrics; any thread). */
    public int expectations(Verdict v) {
        return counts.getOrDefault(v, 0);
    }

    /** The scenario that runs (or ran last). */
    public synchronized ScenarioSpec spec() {
        return spec;
    }

    // ---- on the control thread

    /** Starts from {@code now}: every step pending, matched against the configuration in force. */
    synchronized void begin(long now) {
        List<StepRun> runs = new ArrayList<>();
        for (ScenarioSpec.Step s : spec.steps()) {
            runs.add(new StepRun(s, s.prefixes(control.config().hosts()), control.current(), lastProbeMillis));
        }
        steps = List.copyOf(runs);
        startMillis = now;
        endMillis = -1;
        running = true;
        log.info("scenario {} started: {} steps, {} expectations{}", spec.name(), steps.size(), spec.expectations(),
                spec.endNanos() == null ? "" : ", ends after " + Check.seconds(spec.endNanos() / 1_000_000));
        advance(now);
        if (running && ticking && ticker == null && !executor.isShutdown()) {
            ticker = executor.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The periodic look: steps that start or end, deadlines, probes. */
    synchronized void tick() {
        try {
            advance(clock.currentTimeMillis());
        } catch (RuntimeException e) {
            log.warn("scenario {}: the tick failed: {}", spec.name(), e.toString());
        }
    }

    /** One alert, to the steps it concerns (those started by the time it arrived). */
    synchronized void onAlert(AlertNotice n) {
        if (!running) {
            return;
        }
        advance(clock.currentTimeMillis());
        for (StepRun s : steps) {
            if (s.started() && n.receivedMillis() >= s.startedMillis && s.concerns(n)) {
                for (Check c : s.checks) {
                    c.alert(n);
                }
            }
        }
        advance(clock.currentTimeMillis());
    }

    private void advance(long now) {
        if (!running) {
            return;
        }
        noticeReload();
        for (StepRun s : steps) {
            // A step starts and ends at its planned moment (what the tick is late by, up to a tick, is within the
            // figures' precision), so that windows computed from them close when the schedule says.
            long at = startMillis + s.spec.atNanos() / 1_000_000;
            if (s.state == StepRun.State.PENDING && now >= at) {
                s.start(at);
                if (s.spec.setsHosts()) {
                    s.problem = putInForce(note(s, "starts"));
                }
            }
            if (s.state == StepRun.State.ACTIVE && now >= s.plannedEndMillis()) {
                s.end(s.plannedEndMillis());
                if (s.spec.setsHosts()) {
                    putInForce(note(s, "ends"));
                }
            }
            for (Check c : s.checks) {
                c.tick(now);
            }
        }
        countVerdicts();
        if (over(now)) {
            finish(now);
        }
    }

    /** Whether the scenario ends now: at its {@code end}, or once every step with a for ended and all is decided. */
    private boolean over(long now) {
        if (spec.endNanos() != null) {
            return now - startMillis >= spec.endNanos() / 1_000_000;
        }
        for (StepRun s : steps) {
            if (!s.started() || s.spec.forNanos() != null && !s.ended()) {
                return false;
            }
            for (Check c : s.checks) {
                if (c.pending()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void finish(long now) {
        boolean revert = false;
        for (StepRun s : steps) {
            if (s.state == StepRun.State.ACTIVE) {
                s.end(now);
                revert |= s.spec.setsHosts();
            }
        }
        if (revert) {
            putInForce("scenario " + spec.name() + " ends");
        }
        for (StepRun s : steps) {
            for (Check c : s.checks) {
                c.tick(now);
                c.undecidedAtEnd(now);
            }
        }
        running = false;
        endMillis = now;
        stopTicking();
        countVerdicts();
        boolean passed = expectations(Verdict.FAILED) == 0;
        for (StepRun s : steps) {
            for (Check c : s.checks) {
                log.info("scenario {}: {} {}: {}", spec.name(), c.verdict(), c.name(), c.message());
            }
        }
        String report = ScenarioReport.write(this);
        log.info("scenario {} finished after {}: {} passed, {} failed{}", spec.name(),
                Check.seconds(now - startMillis), expectations(Verdict.PASSED), expectations(Verdict.FAILED),
                report);
        finished.complete(passed);
    }

    /**
     * Puts the settings of the steps active now in force (a new layer over the hosts), or says in one line why they
     * cannot be: the hosts keep the previous layer then, and the step's report says so.
     */
    private String putInForce(String note) {
        Map<IpCidr, HostSettings> layer = new LinkedHashMap<>();
        for (StepRun s : steps) {
            if (running && s.state == StepRun.State.ACTIVE && s.spec.setsHosts()) {
                for (IpCidr p : s.prefixes) {
                    layer.put(p, s.spec.settings());
                }
            }
        }
        if (layer.isEmpty() && !layered) {
            return null; // nothing in force, nothing to take away
        }
        try {
            control.scenario(layer, note);
            layered = !layer.isEmpty();
            return null;
        } catch (ConfigException | RuntimeException e) {
            log.warn("{}: the hosts cannot take it: {}", note, e.getMessage());
            return e.getMessage();
        }
    }

    private String note(StepRun s, String what) {
        return "scenario " + spec.name() + " step " + s.spec.number() + " " + what;
    }

    private void noticeReload() {
        ScenarioSpec inConfig = control.config().scenario();
        if (inConfig != noticed) {
            noticed = inConfig;
            if (!Objects.equals(inConfig, spec)) {
                log.info("scenario {}: the configuration's scenario changed; the running one goes on, and the new one "
                        + "applies at its restart (POST /api/scenario/restart)", spec.name());
            }
        }
    }

    private void stopTicking() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    private void countVerdicts() {
        Map<Verdict, Integer> n = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            n.put(v, 0);
        }
        for (StepRun s : steps) {
            for (Check c : s.checks) {
                n.merge(c.verdict(), 1, Integer::sum);
            }
        }
        if (steps.isEmpty()) {
            n.put(Verdict.PENDING, spec.expectations());
        }
        counts = n;
    }

    // ---- for the report, under the lock

    List<StepRun> steps() {
        return steps;
    }

    boolean running() {
        return running;
    }

    long startMillis() {
        return startMillis;
    }

    long endMillis() {
        return endMillis;
    }

    long now() {
        return clock.currentTimeMillis();
    }
}
