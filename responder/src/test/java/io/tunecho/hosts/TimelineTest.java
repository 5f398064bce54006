package io.tunecho.hosts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A resolved timeline: the step in force at each moment, at its edges, once or repeating, and how long it holds. */
class TimelineTest {
    private static final long S = 1_000_000_000L;
    private static final Behaviour UP = new Behaviour(HostSettings.BUILT_IN);
    private static final Behaviour DOWN = new Behaviour(
            HostSettings.BUILT_IN.overriddenBy(HostSettings.builder().set(HostSetting.STATE, HostState.DOWN).build()));
    private static final Behaviour SLOW = new Behaviour(
            HostSettings.BUILT_IN.overriddenBy(HostSettings.builder().set(HostSetting.DELAY, 300_000_000L).build()));

    /** 4 s up, 2 s down, 4 s slow. */
    private static Timeline timeline(boolean repeat) {
        TimelineSpec spec = new TimelineSpec(List.of(
                new TimelineSpec.Step(4 * S, HostSettings.builder().set(HostSetting.STATE, HostState.UP).build()),
                new TimelineSpec.Step(2 * S, HostSettings.builder().set(HostSetting.STATE, HostState.DOWN).build()),
                new TimelineSpec.Step(4 * S, HostSettings.builder().set(HostSetting.DELAY, 300_000_000L).build())), repeat);
        return new Timeline(spec, new Behaviour[] {UP, DOWN, SLOW});
    }

    @Test
    void eachStepHoldsFromItsStartUntilTheNextOnesStart() {
        Timeline t = timeline(false);
        assertEquals(0, t.stepAt(0));
        assertEquals(0, t.stepAt(4 * S - 1));
        assertEquals(1, t.stepAt(4 * S));
        assertEquals(1, t.stepAt(6 * S - 1));
        assertEquals(2, t.stepAt(6 * S));
        assertEquals(2, t.stepAt(10 * S - 1));
        assertSame(DOWN, t.step(t.stepAt(5 * S)));
        assertEquals(3, t.size());
        assertEquals(10 * S, t.periodNanos());
    }

    @Test
    void noStepBeforeTheStartNorAfterTheEndOfATimelineThatDoesNotRepeat() {
        Timeline t = timeline(false);
        assertFalse(t.repeats());
        assertEquals(-1, t.stepAt(-1));
        assertEquals(-1, t.stepAt(10 * S));
        assertEquals(-1, t.stepAt(Long.MAX_VALUE));
        assertEquals(-1, t.remainingAt(-1));
        assertEquals(-1, t.remainingAt(10 * S));
    }

    @Test
    void aRepeatingTimelineStartsOverAfterItsLastStep() {
        Timeline t = timeline(true);
        assertTrue(t.repeats());
        assertEquals(-1, t.stepAt(-1), "not before its start either");
        assertEquals(0, t.stepAt(10 * S));
        assertEquals(1, t.stepAt(14 * S));
        assertEquals(2, t.stepAt(1_000 * S + 7 * S));
    }

    @Test
    void whatIsLeftOfTheStepInForce() {
        Timeline once = timeline(false);
        assertEquals(4 * S, once.remainingAt(0));
        assertEquals(1, once.remainingAt(4 * S - 1));
        assertEquals(S, once.remainingAt(5 * S));
        Timeline repeating = timeline(true);
        assertEquals(3 * S, repeating.remainingAt(11 * S));
        assertEquals(2 * S, repeating.remainingAt(28 * S));
    }

    @Test
    void equalWhenTheSpecAndEveryStepsBehaviourAre() {
        assertEquals(timeline(true), timeline(true));
        assertEquals(timeline(true).hashCode(), timeline(true).hashCode());
        assertNotEquals(timeline(true), timeline(false));
        Timeline t = timeline(false);
        Timeline otherBehaviour = new Timeline(t.spec(), new Behaviour[] {UP, DOWN, UP});
        assertNotEquals(t, otherBehaviour);
    }
}
