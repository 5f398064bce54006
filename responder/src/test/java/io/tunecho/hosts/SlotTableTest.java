package io.tunecho.hosts;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotTableTest {

    @Test
    void aKeyIsClaimedOnceAndThenFound() {
        SlotTable t = new SlotTable(64, 4);
        int a = t.slot(42);
        assertTrue(t.claimed(), "the first time: a fresh slot");
        assertEquals(a, t.slot(42));
        assertFalse(t.claimed(), "the second time: found");
        int b = t.slot(43);
        assertTrue(t.claimed());
        assertNotEquals(a, b);
        assertEquals(a, t.slot(42));
        assertFalse(t.claimed());
    }

    @Test
    void zeroAndTheExtremesAreKeysLikeAnyOther() {
        SlotTable t = new SlotTable(64, 4);
        long[] keys = {0, Long.MIN_VALUE, Long.MAX_VALUE, -1};
        int[] slots = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            slots[i] = t.slot(keys[i]);
            assertTrue(t.claimed(), "claimed: " + keys[i]);
        }
        for (int i = 0; i < keys.length; i++) {
            assertEquals(slots[i], t.slot(keys[i]));
            assertFalse(t.claimed(), "found: " + keys[i]);
        }
    }

    @Test
    void aFullSetOfProbesGivesUpTheLeastRecentlyUsed() {
        SlotTable t = new SlotTable(2, 2); // every key may take either slot
        int a = t.slot(1);
        int b = t.slot(2);
        assertNotEquals(a, b);
        t.slot(1); // 2 is now the least recently used
        int c = t.slot(3);
        assertTrue(t.claimed());
        assertEquals(b, c, "3 takes 2's slot");
        assertEquals(a, t.slot(1));
        assertFalse(t.claimed(), "1 kept its slot");
        assertEquals(b, t.slot(2), "2 takes the slot of 3, the least recently used now");
        assertTrue(t.claimed(), "2 was forgotten: it starts afresh");
    }

    @Test
    void aKeyTakesOnlyItsProbes() {
        SlotTable t = new SlotTable(1 << 10, 1); // direct-mapped
        Set<Integer> slots = new HashSet<>();
        for (long k = 0; k < 5000; k++) {
            slots.add(t.slot(k));
            assertTrue(t.claimed());
        }
        assertTrue(slots.size() > 900, "keys spread over the table: " + slots.size());
        int s = t.slot(4999);
        assertFalse(t.claimed(), "the last key keeps its slot");
        assertTrue(s >= 0 && s < t.capacity());
    }

    @Test
    void theTableIsMadeOnFirstUse() {
        SlotTable t = new SlotTable(1 << 14, 8);
        assertFalse(t.isAllocated());
        assertEquals(1 << 14, t.capacity());
        t.slot(7);
        assertTrue(t.isAllocated());
    }

    @Test
    void theCapacityIsAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new SlotTable(100, 4));
        assertThrows(IllegalArgumentException.class, () -> new SlotTable(64, 0));
        assertThrows(IllegalArgumentException.class, () -> new SlotTable(64, 65));
    }
}
