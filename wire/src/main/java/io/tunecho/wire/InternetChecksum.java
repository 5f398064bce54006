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
        return fold(accumulate(0, buf, off, len));
    }

    /**
     * Adds {@code len} bytes at {@code off} to an unfolded sum (for a checksum that covers a pseudo-header and the
     * data: start with the pseudo-header's sum). An odd length pads with a zero byte, so only the last block of a
     * sum may have one.
     */
    public static long accumulate(long sum, ByteBuf buf, int off, int len) {
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
        return sum;
    }

    /** The checksum to store for an unfolded sum: the one's complement of its 16-bit fold. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** Whether an unfolded sum over a block that holds its own checksum is a correct one's (folds to 0xFFFF). */
    public static boolean isValidSum(long sum) {
        return fold(sum) == 0xFFFF;
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

    /** Folds an unfolded sum to 16 bits. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }
}
