package io.tunecho.hosts;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A host entry's counters, and the tally that adds one event loop's counts to them a burst at a time. */
class HostCountersTest {

    @Test
    void aTallyAddsItsCountsAtTheFlushOrWhenAnotherEntryComes() {
        HostCounters a = new HostCounters();
        HostCounters b = new HostCounters();
        HostCounters.Tally tally = new HostCounters.Tally();
        tally.request(a, 1000);
        tally.probed(a);
        tally.request(a, 1001);
        tally.replied(a);
        assertEquals(0, a.requests(), "nothing is added before the flush");
        tally.request(b, 1002); // another entry's: a's counts go to a
        assertEquals(2, a.requests());
        assertEquals(1, a.probes());
        assertEquals(1, a.replies());
        assertEquals(1001, a.lastProbedMillis(), "the last request's time");
        assertEquals(0, b.requests());
        tally.replied(b);
        tally.replied(b);
        tally.flush();
        tally.flush(); // a second flush adds nothing
        assertEquals(1, b.requests());
        assertEquals(0, b.probes());
        assertEquals(2, b.replies());
        assertEquals(1002, b.lastProbedMillis());
        assertEquals(2, a.requests());
    }

    @Test
    void aFlushWithoutRequestsKeepsTheLastProbedTime() {
        HostCounters a = new HostCounters();
        a.request(500);
        HostCounters.Tally tally = new HostCounters.Tally();
        tally.replied(a);
        tally.flush();
        assertEquals(500, a.lastProbedMillis());
        assertEquals(1, a.replies());
    }
}
