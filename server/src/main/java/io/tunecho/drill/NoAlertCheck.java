package io.tunecho.drill;

import io.tunecho.config.ScenarioSpec.Expectation;

/**
 * {@code no-alert: D} (or {@code true}: D = 0): no alert concerning a matched address fires from the step's start
 * until D after its end. Fails at the first that does (measured: when, after the step's start), passes when the
 * window closes.
 */
final class NoAlertCheck extends Check {
    NoAlertCheck(StepRun step, Expectation spec) {
        super(step, spec);
    }

    @Override
    String measure() {
        return "alert_after_seconds";
    }

    @Override
    void alert(AlertNotice n) {
        if (!pending() || n.status() != AlertNotice.Status.FIRING
                || step.ended() && n.receivedMillis() - step.endedMillis > limitMillis) {
            return;
        }
        long after = n.receivedMillis() - step.startedMillis;
        fail(n.receivedMillis(), after, n.name() + " fired " + seconds(after) + " after the step started");
    }

    @Override
    void tick(long now) {
        if (pending() && step.ended() && now - step.endedMillis >= limitMillis) {
            pass(now, null, "no alert from the step's start until " + (limitMillis == 0 ? "its end"
                    : spec.limitText() + " after its end"));
        }
    }
}
