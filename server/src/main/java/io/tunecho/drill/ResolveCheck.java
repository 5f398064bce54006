package io.tunecho.drill;

import io.tunecho.config.ScenarioSpec.Expectation;
import io.tunecho.wire.IpCidr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code resolve: D}: every alert that fired for the step (concerning a matched address, from the step's start)
 * resolves within D of the step's end. Passes once the step has ended and none is open (measured: when the last
 * resolved, after the step's end; negative if before it), fails at the end plus D while one is still open, and at
 * once when the step's {@code alert} expectation failed without any alert: there is nothing to resolve.
 */
final class ResolveCheck extends Check {
    private final AlertCheck alert;
    /** The alerts firing now, by identity (name, labels, addresses): a resolution closes its own alert only. */
    private final Map<Key, AlertNotice> open = new LinkedHashMap<>();
    private boolean fired;
    private long lastResolvedMillis = -1;

    private record Key(String name, Map<String, String> labels, List<IpCidr> addresses) {
        static Key of(AlertNotice n) {
            return new Key(n.name(), n.labels(), n.addresses());
        }
    }

    ResolveCheck(StepRun step, Expectation spec, AlertCheck alert) {
        super(step, spec);
        this.alert = Objects.requireNonNull(alert, "resolve needs the step's alert expectation");
    }

    @Override
    String measure() {
        return "resolution_seconds";
    }

    @Override
    void alert(AlertNotice n) {
        if (!pending()) {
            return;
        }
        if (n.status() == AlertNotice.Status.FIRING) {
            open.put(Key.of(n), n);
            fired = true;
        } else if (open.remove(Key.of(n)) != null) {
            lastResolvedMillis = n.receivedMillis();
        }
        decide(n.receivedMillis());
    }

    @Override
    void ended(long now) {
        decide(now);
    }

    @Override
    void tick(long now) {
        decide(now);
    }

    private void decide(long now) {
        if (!pending()) {
            return;
        }
        if (!fired && alert.missed()) {
            fail(now, null, "no alert fired for the step, so none could resolve");
            return;
        }
        if (!step.ended()) {
            return;
        }
        if (fired && open.isEmpty()) {
            long after = lastResolvedMillis - step.endedMillis;
            pass(Math.max(now, step.endedMillis), after, after >= 0
                    ? "every alert resolved " + seconds(after) + " after the step ended"
                    : "every alert resolved " + seconds(-after) + " before the step ended");
        } else if (now - step.endedMillis > limitMillis) {
            fail(now, null, fired ? "still firing " + spec.limitText() + " after the step ended: " + names()
                    : "no alert fired for the step by " + spec.limitText() + " after its end");
        }
    }

    private String names() {
        StringBuilder sb = new StringBuilder();
        for (AlertNotice n : open.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(n.name()).append(' ').append(n.addresses().stream()
                    .map(IpCidr::addressText).toList());
        }
        return sb.toString();
    }
}
