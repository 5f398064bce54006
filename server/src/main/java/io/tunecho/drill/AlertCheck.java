package io.tunecho.drill;

import io.tunecho.config.ScenarioSpec.Expectation;

/**
 * {@code alert: D}: an alert concerning a matched address fires within D of the step's start. Passes when the first
 * one arrives (measured: the detection time), fails at the step's start plus D.
 */
final class AlertCheck extends Check {
    AlertCheck(StepRun step, Expectation spec) {
        super(step, spec);
    }

    @Override
    String measure() {
        return "detection_seconds";
    }

    @Override
    void alert(AlertNotice n) {
        if (!pending() || n.status() != AlertNotice.Status.FIRING) {
            return;
        }
        long after = n.receivedMillis() - step.startedMillis;
        if (after <= limitMillis) {
            pass(n.receivedMillis(), after, n.name() + " fired " + seconds(after) + " after the step started");
        } else {
            late(n.receivedMillis());
        }
    }

    @Override
    void tick(long now) {
        if (pending() && step.started() && now - step.startedMillis > limitMillis) {
            late(now);
        }
    }

    private void late(long now) {
        fail(now, null, "no alert concerning " + step.what() + " fired within " + spec.limitText()
                + " of the step's start");
    }

    /** Whether no alert came in time (the step's resolve expectation then has nothing to wait for). */
    boolean missed() {
        return verdict() == Verdict.FAILED;
    }
}
