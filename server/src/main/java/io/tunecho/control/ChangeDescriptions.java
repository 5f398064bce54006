package io.tunecho.control;

import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.Durations;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.Timeline;
import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The text of host events: an entry's settings, what changed between two tables, a timeline's step change. */
final class ChangeDescriptions {
    /** What happened to one entry ({@code 198.18.0.10/32}: {@code state: up -> down}). */
    record Change(IpCidr entry, String change) {
    }

    private ChangeDescriptions() {
    }

    /**
     * One change per entry of {@code next} that was added or whose behaviour changed (in {@code next}'s order), then
     * one per entry of {@code old} that is gone.
     */
    static List<Change> between(HostTable old, HostTable next) {
        Map<IpCidr, HostEntry> before = new LinkedHashMap<>();
        for (HostEntry e : old.entries()) {
            before.put(e.match(), e);
        }
        List<Change> changes = new ArrayList<>();
        for (HostEntry e : next.entries()) {
            HostEntry was = before.remove(e.match());
            String change = was == null ? "added: " + describe(e) : diff(was, e);
            if (!change.isEmpty()) {
                changes.add(new Change(e.match(), change));
            }
        }
        for (HostEntry gone : before.values()) {
            changes.add(new Change(gone.match(), "removed"));
        }
        return changes;
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

    /**
     * {@code step 2/3 for 30s, state: up -> down}, or {@code timeline ended, ...}: the move of a timed entry from
     * step {@code was} to step {@code step} (-1: none, its base behaviour).
     */
    static String stepChange(HostEntry e, int was, int step) {
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
}
