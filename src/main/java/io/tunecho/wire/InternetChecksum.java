package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/**
 * The Internet checksum (RFC 1071): the one's complement of the one's complement sum of 16-bit words, and its
 * incremental update (RFC 1624) for when one field of a checksummed block changes.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /** The one's complement sum of {@code len} bytes at {@code off}, folded to 16 bits (not complemented). */
    public static int sum(ByteBuf buf, int off, int len) {
        long sum = 0;
        int i = off;
        int end = off + len;
        // Eight bytes at a time: the sum of the 32-bit halves carries the 16-bit words' sum (RFC 1071, 2(B)).
        for (; i + 8 <= end; i += 8) {
            long v = buf.getLong(i);
            sum += (v >>> 32) + (v & 0xFFFFFFFFL);
        }
        if (i + 4 <= end) {
            sum += buf.getUnsignedInt(i);
            i += 4;
        }
        if (i + 2 <= end) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return fold(sum);
    }

    /** The checksum to store in a field that was zero while summing. */
    public static int compute(ByteBuf buf, int off, int len) {
        return ~sum(buf, off, len) & 0xFFFF;
    }

    /** Whether a block that contains its own checksum field sums to 0xFFFF, as a correct one does. */
    public static boolean isValid(ByteBuf buf, int off, int len) {
        return sum(buf, off, len) == 0xFFFF;
    }

    /**
     * RFC 1624, eqn. 3: the new checksum after one 16-bit word of the block changed from {@code oldWord} to
     * {@code newWord}: {@code HC' = ~(~HC + ~m + m')}.
     */
    public static int update(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }
}
