package io.tunecho.hosts;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {
    private static final long T = 7_000_000_000L;

    @Test
    void startsFullAndRefillsAtItsRate() {
        TokenBucket b = new TokenBucket(10, 20, T);
        int taken = 0;
        for (int i = 0; i < 100; i++) {
            taken += b.tryTake(T) ? 1 : 0;
        }
        assertEquals(20, taken, "a full bucket: its capacity");
        assertFalse(b.tryTake(T + 50_000_000L));
        assertTrue(b.tryTake(T + 100_000_000L), "one token per 100 ms");
        assertFalse(b.tryTake(T + 150_000_000L));
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        TokenBucket b = new TokenBucket(1000, 3, T);
        assertTrue(b.tryTake(T));
        int taken = 0;
        for (int i = 0; i < 10; i++) {
            taken += b.tryTake(T + 60_000_000_000L) ? 1 : 0;
        }
        assertEquals(3, taken, "a minute later: still only its capacity");
    }

    @Test
    void hasTokenTakesNothingUntilTake() {
        TokenBucket b = new TokenBucket(1, 1, T);
        assertTrue(b.hasToken(T));
        assertTrue(b.hasToken(T), "looking takes nothing");
        b.take();
        assertFalse(b.hasToken(T));
        assertTrue(b.hasToken(T + 1_000_000_000L));
    }

    @Test
    void oneSecondOfIsTheRateButAtLeastOneToken() {
        assertEquals(50, TokenBucket.oneSecondOf(50));
        assertEquals(1, TokenBucket.oneSecondOf(0.5));
    }

    @Test
    void theArraysOfAddressStatesRefillByTheSameRule() {
        AddressStates states = new AddressStates();
        int slot = states.slot(AddressStates.ipv4Key(0x0A000001));
        TokenBucket bucket = new TokenBucket(4, TokenBucket.oneSecondOf(4), T);
        for (long t = T; t < T + 3_000_000_000L; t += 70_000_000L) {
            assertEquals(bucket.tryTake(t), states.takeToken(slot, 4, t), "at " + (t - T) + " ns");
        }
    }
}
