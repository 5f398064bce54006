package io.tunecho.hosts;

import java.util.List;

/**
 * A timeline as configured: steps in order, each holding its settings for its duration, once or repeating.
 *
 * @param steps  at least one step
 * @param repeat whether the steps start over after the last one; if not, the entry keeps its own settings after it
 */
public record TimelineSpec(List<Step> steps, boolean repeat) {

    /**
     * One step.
     *
     * @param nanos    how long it holds (more than 0)
     * @param settings what it overrides meanwhile (it may not hold a timeline of its own)
     */
    public record Step(long nanos, HostSettings settings) {
        public Step {
            if (nanos <= 0) {
                throw new IllegalArgumentException("a timeline step must last longer than 0");
            }
            if (settings.get(HostSetting.TIMELINE) != null) {
                throw new IllegalArgumentException("a timeline step cannot hold a timeline");
            }
        }
    }

    public TimelineSpec {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a timeline needs at least one step");
        }
        steps = List.copyOf(steps);
    }

    /** The length of one pass through the steps. */
    public long periodNanos() {
        long total = 0;
        for (Step s : steps) {
            total += s.nanos;
        }
        return total;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{").append(repeat ? "repeat: true, " : "").append("steps: [");
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            sb.append(i == 0 ? "" : ", ").append("{for: ").append(Durations.format(s.nanos));
            s.settings.describe().forEach((k, v) -> sb.append(", ").append(k).append(": ").append(v));
            sb.append('}');
        }
        return sb.append("]}").toString();
    }
}
