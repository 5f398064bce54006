package io.tunecho.drill;

import io.tunecho.config.ScenarioSpec.Expectation;
import io.tunecho.config.ScenarioSpec.Step;
import io.tunecho.hosts.HostTable;
import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * One step while the scenario runs: pending until its time, active while it lasts, then done; the prefixes it
 * concerns (resolved from the configuration when the scenario started) and its expectations. Runs on the control
 * thread, under the runner's lock.
 */
final class StepRun {
    /** Where a step stands. */
    enum State {
        PENDING, ACTIVE, DONE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final Step spec;
    final List<IpCidr> prefixes;
    final List<Check> checks = new ArrayList<>();
    State state = State.PENDING;
    long startedMillis = -1;
    long endedMillis = -1;
    /** Why its settings could not be put in force, or {@code null}. */
    String problem;

    /**
     * @param hosts           the host table in force, for the addresses a {@code probed} expectation watches
     * @param lastProbeMillis the last probe of an address (-1: never)
     */
    StepRun(Step spec, List<IpCidr> prefixes, HostTable hosts, ToLongFunction<IpCidr> lastProbeMillis) {
        this.spec = spec;
        this.prefixes = List.copyOf(prefixes);
        AlertCheck alert = null;
        for (Expectation x : spec.expect()) {
            Check c = switch (x.kind()) {
                case ALERT -> alert = new AlertCheck(this, x);
                case RESOLVE -> new ResolveCheck(this, x, alert);
                case NO_ALERT -> new NoAlertCheck(this, x);
                case PROBED -> new ProbedCheck(this, x, hosts, lastProbeMillis);
            };
            checks.add(c);
        }
    }

    /** Whether the alert concerns an address of this step's match. */
    boolean concerns(AlertNotice n) {
        for (IpCidr a : n.addresses()) {
            for (IpCidr p : prefixes) {
                if (p.contains(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean started() {
        return startedMillis >= 0;
    }

    boolean ended() {
        return endedMillis >= 0;
    }

    /** When it ends by its {@code for}, or {@code Long.MAX_VALUE} when it lasts until the scenario's end. */
    long plannedEndMillis() {
        return spec.forNanos() == null ? Long.MAX_VALUE : startedMillis + spec.forNanos() / 1_000_000;
    }

    void start(long now) {
        state = State.ACTIVE;
        startedMillis = now;
        for (Check c : checks) {
            c.started(now);
        }
    }

    void end(long now) {
        state = State.DONE;
        endedMillis = now;
        for (Check c : checks) {
            c.ended(now);
        }
    }

    /** The match as written ({@code 198.18.0.30}, {@code 198.18.0.0/26}, a profile's name), for messages. */
    String what() {
        return spec.match();
    }
}
