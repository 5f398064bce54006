package io.tunecho.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Option checks as Linux's ip_options_compile makes them on input; -1 means well formed. */
class Ipv4OptionsTest {

    /** An IPv4 header (only IHL matters here) followed by {@code options}, padded to a multiple of 4. */
    private static int problem(int... options) {
        int length = (options.length + 3) / 4 * 4;
        ByteBuf b = Unpooled.buffer(20 + length);
        b.writeByte(0x40 | (20 + length) / 4).writeZero(19);
        for (int o : options) {
            b.writeByte(o);
        }
        b.writeZero(length - options.length);
        try {
            return Ipv4Options.problem(b, 0);
        } finally {
            b.release();
        }
    }

    @Test
    void nopsAndEnd() {
        assertEquals(-1, problem(1, 1, 1, 0));
        assertEquals(-1, problem(0, 7, 0, 0)); // after the end, nothing is looked at
    }

    @Test
    void aLengthBelowTwoOrBeyondTheHeader() {
        assertEquals(21, problem(0x9e, 1, 0, 0));
        assertEquals(21, problem(0x9e, 9, 0, 0));
        assertEquals(23, problem(1, 1, 1, 0x9e)); // a type byte with no room for its length
    }

    @Test
    void recordRoute() {
        assertEquals(-1, problem(7, 7, 4, 0, 0, 0, 0, 0));          // room for one address
        assertEquals(-1, problem(7, 7, 8, 1, 2, 3, 4, 0));          // full: no error
        assertEquals(22, problem(7, 7, 3, 0, 0, 0, 0, 0));          // pointer below 4
        assertEquals(22, problem(7, 6, 4, 0, 0, 0, 0, 0));          // no room for the address it points to
        assertEquals(28, problem(7, 7, 4, 0, 0, 0, 0, 1, 7, 3, 4, 0)); // twice
    }

    @Test
    void timestamp() {
        assertEquals(-1, problem(68, 12, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0));   // tsonly, room for two
        assertEquals(-1, problem(68, 12, 5, 1, 0, 0, 0, 0, 0, 0, 0, 0));   // tsandaddr, room for one
        assertEquals(22, problem(68, 12, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0));   // pointer below 5
        assertEquals(22, problem(68, 8, 5, 1, 0, 0, 0, 0));                // tsandaddr without room for both
        assertEquals(-1, problem(68, 12, 13, 0x10, 0, 0, 0, 0, 0, 0, 0, 0)); // full: the overflow counts
        assertEquals(23, problem(68, 12, 13, 0xF0, 0, 0, 0, 0, 0, 0, 0, 0)); // the overflow counter is full
    }

    @Test
    void sourceRoutes() {
        assertEquals(22, problem(131, 7, 3, 0, 0, 0, 0, 0));
        assertEquals(-1, problem(131, 7, 4, 10, 0, 0, 1, 0));
        ByteBuf b = Unpooled.buffer(28).writeByte(0x47).writeZero(19).writeBytes(new byte[] {1, (byte) 137, 7, 4,
                10, 0, 0, 1});
        assertTrue(Ipv4Options.hasSourceRoute(b, 0));
        assertEquals(21, Ipv4Options.find(b, 0, 137));
        assertEquals(-1, Ipv4Options.find(b, 0, 7));
        b.release();
        ByteBuf rr = Unpooled.buffer(28).writeByte(0x47).writeZero(19).writeBytes(new byte[] {7, 7, 4, 0, 0, 0, 0, 0});
        assertFalse(Ipv4Options.hasSourceRoute(rr, 0));
        rr.release();
    }

    @Test
    void routerAlertNeedsFourBytes() {
        assertEquals(21, problem(148, 2, 0, 0));
        assertEquals(-1, problem(148, 4, 0, 0));
    }
}
