package io.tunecho.hosts;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressStatesTest {

    @Test
    void aTokenBucketAllowsItsRateWithOneSecondOfBurst() {
        AddressStates s = new AddressStates();
        int slot = s.slot(AddressStates.ipv4Key(0xC6120005));
        long t = 5_000_000_000L;
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += s.takeToken(slot, 10, t) ? 1 : 0;
        }
        assertEquals(10, allowed, "a full bucket: one second's worth");
        assertFalse(s.takeToken(slot, 10, t + 50_000_000L));
        assertTrue(s.takeToken(slot, 10, t + 100_000_000L), "one token per 100 ms");
        assertFalse(s.takeToken(slot, 10, t + 150_000_000L));
        // a slow rate still saves up one token
        int slow = s.slot(AddressStates.ipv4Key(0xC6120006));
        assertTrue(s.takeToken(slow, 0.5, t));
        assertFalse(s.takeToken(slow, 0.5, t + 1_000_000_000L));
        assertTrue(s.takeToken(slow, 0.5, t + 2_000_000_000L));
    }

    @Test
    void eachAddressHasItsOwnState() {
        AddressStates s = new AddressStates();
        int a = s.slot(AddressStates.ipv4Key(1));
        int b = s.slot(AddressStates.ipv4Key(2));
        s.setInBurst(a, true);
        assertTrue(s.inBurst(s.slot(AddressStates.ipv4Key(1))));
        assertFalse(s.inBurst(b));
    }

    @Test
    void aFullTableReusesTheLeastRecentlyUsedSlot() {
        AddressStates s = new AddressStates();
        for (int i = 0; i < AddressStates.CAPACITY * 3; i++) {
            int slot = s.slot(AddressStates.ipv4Key(i));
            s.setInBurst(slot, true);
        }
        int fresh = s.slot(AddressStates.ipv4Key(-5));
        assertFalse(s.inBurst(fresh), "a new address starts afresh");
    }

    @Test
    void eachAddressHasItsOwnTracePositionThatLoops() {
        AddressStates s = new AddressStates();
        int a = s.slot(AddressStates.ipv4Key(1));
        int b = s.slot(AddressStates.ipv4Key(2));
        assertEquals(0, s.nextPosition(a, 3));
        assertEquals(1, s.nextPosition(a, 3));
        assertEquals(0, s.nextPosition(b, 3));
        assertEquals(2, s.nextPosition(a, 3));
        assertEquals(0, s.nextPosition(a, 3), "looped");
        assertEquals(0, s.nextPosition(b, 1), "a shorter trace than the position: from its start");
    }
}
