package io.tunecho.proto;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012), a keyed hash that is fast on short inputs and whose output cannot be
 * predicted without the key: what Linux uses for its SYN cookies. The input is fed as 64-bit words, each standing for
 * its eight bytes in little-endian order, so that {@code start().add(m).finish()} is the SipHash of those eight
 * bytes.
 *
 * <p>Mutable and not thread-safe: one instance per channel, reused for every hash; nothing is allocated per hash.
 */
final class SipHash {
    private final long k0;
    private final long k1;
    private long v0;
    private long v1;
    private long v2;
    private long v3;
    private int bytes;

    /** @param k0 the key's first eight bytes, little-endian; {@code k1} its last eight */
    SipHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** Starts a new hash. */
    SipHash start() {
        v0 = k0 ^ 0x736f6d6570736575L;
        v1 = k1 ^ 0x646f72616e646f6dL;
        v2 = k0 ^ 0x6c7967656e657261L;
        v3 = k1 ^ 0x7465646279746573L;
        bytes = 0;
        return this;
    }

    /** Adds eight bytes of input (little-endian). */
    SipHash add(long m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
        bytes += 8;
        return this;
    }

    /** Ends the input (a whole number of words) and returns the hash. */
    long finish() {
        return finish(0, 0);
    }

    /**
     * Ends the input with its last {@code tailBytes} (0..7) bytes, given little-endian in {@code tail}'s low
     * bytes, and returns the hash.
     */
    long finish(long tail, int tailBytes) {
        long b = (long) (bytes + tailBytes) << 56 | tail;
        v3 ^= b;
        round();
        round();
        v0 ^= b;
        v2 ^= 0xff;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void round() {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }
}
