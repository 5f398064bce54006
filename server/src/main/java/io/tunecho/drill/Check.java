package io.tunecho.drill;

import io.tunecho.config.ScenarioSpec.Expectation;

import java.util.Locale;

/**
 * One expectation of a step while the scenario runs: told when its step starts and ends, of each alert that
 * concerns the step, and of the time on each tick, it decides as soon as it can, once, with the figure it measured.
 * Runs on the control thread, under the runner's lock.
 */
abstract class Check {
    final StepRun step;
    final Expectation spec;
    final long limitMillis;
    private Verdict verdict = Verdict.PENDING;
    private Long measuredMillis;
    private String message;
    private long decidedMillis = -1;

    Check(StepRun step, Expectation spec) {
        this.step = step;
        this.spec = spec;
        this.limitMillis = spec.limitNanos() / 1_000_000;
    }

    /** What the measured figure is, as the report's property names it: {@code detection_seconds}. */
    abstract String measure();

    /** The step started at {@code now}. */
    void started(long now) {
    }

    /** The step ended at {@code now}. */
    void ended(long now) {
    }

    /** An alert that concerns the step, received after it started. */
    void alert(AlertNotice n) {
    }

    /** The time now, on each tick while the scenario runs. */
    void tick(long now) {
    }

    /** The scenario ends at {@code now}: what is still pending fails. */
    final void undecidedAtEnd(long now) {
        if (pending()) {
            fail(now, null, "not decided when the scenario ended");
        }
    }

    final boolean pending() {
        return verdict == Verdict.PENDING;
    }

    final void pass(long at, Long measured, String why) {
        decide(Verdict.PASSED, at, measured, why);
    }

    final void fail(long at, Long measured, String why) {
        decide(Verdict.FAILED, at, measured, why);
    }

    private void decide(Verdict v, long at, Long measured, String why) {
        if (pending()) {
            verdict = v;
            decidedMillis = at;
            measuredMillis = measured;
            message = why;
        }
    }

    Verdict verdict() {
        return verdict;
    }

    /** The figure measured, in milliseconds, or {@code null} when there was none. */
    Long measuredMillis() {
        return measuredMillis;
    }

    /** Why it passed or failed, or {@code null} while pending. */
    String message() {
        return message;
    }

    /** When it was decided (the hosts' wall clock), or -1. */
    long decidedMillis() {
        return decidedMillis;
    }

    /** {@code step 1 198.18.0.30 alert 90s}: the report's name for it. */
    String name() {
        return step.spec.label() + " " + spec;
    }

    /** Milliseconds as seconds for people: {@code 41.2 s}. */
    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
