package io.tunecho.hosts;

/**
 * A timeline, resolved: the behaviour of each step (the entry's behaviour with the step's settings over it), and
 * where each step ends. Finding the step for a moment reads a few longs; nothing is allocated. Immutable.
 */
public final class Timeline {
    private final TimelineSpec spec;
    private final Behaviour[] steps;
    private final long[] ends;
    private final long period;

    Timeline(TimelineSpec spec, Behaviour[] steps) {
        this.spec = spec;
        this.steps = steps;
        this.ends = new long[steps.length];
        long t = 0;
        for (int i = 0; i < steps.length; i++) {
            t += spec.steps().get(i).nanos();
            ends[i] = t;
        }
        this.period = t;
    }

    public TimelineSpec spec() {
        return spec;
    }

    public boolean repeats() {
        return spec.repeat();
    }

    public long periodNanos() {
        return period;
    }

    /** The step in force {@code elapsed} nanoseconds after the timeline started, or -1 before it or after its end. */
    public int stepAt(long elapsed) {
        if (elapsed < 0 || !spec.repeat() && elapsed >= period) {
            return -1;
        }
        long t = elapsed % period;
        for (int i = 0; i < ends.length; i++) {
            if (t < ends[i]) {
                return i;
            }
        }
        return ends.length - 1;
    }

    /** The behaviour of a step. */
    public Behaviour step(int i) {
        return steps[i];
    }

    public int size() {
        return steps.length;
    }

    /** How long the step in force at {@code elapsed} still holds, or -1 when none is. */
    public long remainingAt(long elapsed) {
        int i = stepAt(elapsed);
        return i < 0 ? -1 : ends[i] - elapsed % period;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Timeline && ((Timeline) o).spec.equals(spec)
                && java.util.Arrays.equals(((Timeline) o).steps, steps);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }
}
