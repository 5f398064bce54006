package io.tunecho.proto;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** SipHash-2-4 against the reference implementation's test vectors (key 00 01 .. 0f, message 00 01 .. n-1). */
class SipHashTest {
    private final SipHash hash = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

    @Test
    void theEmptyMessage() {
        assertEquals(0x726fdb47dd0e0e31L, hash.start().finish());
    }

    @Test
    void oneWord() {
        assertEquals(0x93f5f5799a932462L, hash.start().add(0x0706050403020100L).finish());
    }

    @Test
    void thePapersExampleOf15Bytes() {
        assertEquals(0xa129ca6149be45e5L, hash.start().add(0x0706050403020100L).finish(0x000e0d0c0b0a0908L, 7));
    }

    @Test
    void startingOverForgetsThePreviousInput() {
        hash.start().add(42).add(43).finish();
        assertEquals(0x93f5f5799a932462L, hash.start().add(0x0706050403020100L).finish());
    }

    @Test
    void anotherKeyGivesAnotherHash() {
        assertNotEquals(0x93f5f5799a932462L, new SipHash(1, 2).start().add(0x0706050403020100L).finish());
    }
}
