package io.tunecho.hosts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortSetTest {
    @Test
    void sortsAndDropsDuplicates() {
        PortSet s = PortSet.of(List.of(443, 22, 80, 22, 65535, 1));
        assertArrayEquals(new int[] {1, 22, 80, 443, 65535}, s.toArray());
        assertEquals(5, s.size());
        assertEquals("[1, 22, 80, 443, 65535]", s.toString());
        assertEquals(PortSet.of(1, 22, 80, 443, 65535), s);
        assertEquals(PortSet.of(1, 22, 80, 443, 65535).hashCode(), s.hashCode());
    }

    @Test
    void containsOnlyItsPorts() {
        PortSet s = PortSet.of(22, 80, 443);
        for (int p = 0; p <= 65536; p++) {
            assertEquals(p == 22 || p == 80 || p == 443, s.contains(p), "port " + p);
        }
    }

    @Test
    void emptyIsNone() {
        assertSame(PortSet.NONE, PortSet.of());
        assertTrue(PortSet.NONE.isEmpty());
        assertFalse(PortSet.NONE.contains(22));
    }

    @Test
    void refusesPortsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> PortSet.of(0));
        assertThrows(IllegalArgumentException.class, () -> PortSet.of(22, 65536));
    }
}
