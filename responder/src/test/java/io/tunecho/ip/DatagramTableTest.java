package io.tunecho.ip;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DatagramTable} against a {@link HashMap} under random insertions and removals, with many collisions. */
class DatagramTableTest {

    private static FragmentQueue queue(int id, boolean v6) {
        FragmentKey key = v6 ? new FragmentKey().ipv6(1, 2, 3, 4, id) : new FragmentKey().ipv4(1, 2, 1, id);
        return new FragmentQueue().reset(key, 0, 0);
    }

    @Test
    void behavesAsAMap() {
        DatagramTable table = new DatagramTable(48); // 128 slots: long probe runs, wrapping around the end
        Map<Integer, FragmentQueue> model = new HashMap<>();
        List<Integer> present = new ArrayList<>();
        Random random = new Random(1);
        FragmentKey probe = new FragmentKey();
        for (int step = 0; step < 200_000; step++) {
            int id = random.nextInt(200);
            boolean v6 = (id & 1) != 0;
            if (v6) {
                probe.ipv6(1, 2, 3, 4, id);
            } else {
                probe.ipv4(1, 2, 1, id);
            }
            FragmentQueue found = table.get(probe);
            assertSame(model.get(id), found);
            if (found == null && model.size() < 48 && random.nextBoolean()) {
                FragmentQueue q = queue(id, v6);
                table.put(q);
                model.put(id, q);
                present.add(id);
            } else if (!present.isEmpty() && random.nextInt(3) == 0) {
                Integer gone = present.remove(random.nextInt(present.size()));
                assertTrue(table.remove(model.remove(gone)));
            }
            assertEquals(model.size(), table.size());
        }
        for (Map.Entry<Integer, FragmentQueue> e : model.entrySet()) {
            assertSame(e.getValue(), table.get(e.getValue().key));
        }
    }

    @Test
    void removingWhatIsNotThereChangesNothing() {
        DatagramTable table = new DatagramTable(4);
        FragmentQueue a = queue(1, false);
        table.put(a);
        assertFalse(table.remove(queue(1, false)), "an equal key, another datagram");
        assertFalse(table.remove(queue(2, false)));
        assertEquals(1, table.size());
        assertTrue(table.remove(a));
        assertNull(table.get(a.key));
        List<FragmentQueue> cleared = new ArrayList<>();
        table.put(a);
        table.clear(cleared::add);
        assertEquals(List.of(a), cleared);
        assertEquals(0, table.size());
    }
}
