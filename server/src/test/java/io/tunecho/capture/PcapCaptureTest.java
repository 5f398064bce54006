package io.tunecho.capture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture file as {@code tcpdump -r} reads it: the pcap global header (link type RAW), then one record header and
 * the packet's bytes per packet; within its maximum size; complete and closed once stopped.
 */
class PcapCaptureTest {
    private static final int HEADER = 24;
    private static final int RECORD_HEADER = 16;

    @TempDir
    Path dir;
    private final PcapCapture capture = new PcapCapture();

    @AfterEach
    void stop() {
        capture.close();
    }

    /** One record as read back. */
    private record Record(long micros, int inclLen, int origLen, byte[] data) {
    }

    /** Packet {@code id}: {@code length} bytes, each {@code id}. */
    private static byte[] packet(int id, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) id);
        return b;
    }

    /** Records {@code data} as a packet whose readable bytes sit behind a header the capture must skip. */
    private void record(byte[] data) {
        ByteBuf buf = Unpooled.buffer(data.length + 4).writeInt(0xDEADBEEF).writeBytes(data);
        buf.skipBytes(4);
        try {
            capture.record(buf, true);
            assertEquals(4, buf.readerIndex(), "the packet is read, not consumed");
            assertEquals(1, buf.refCnt(), "and stays the caller's");
        } finally {
            buf.release();
        }
    }

    /** The records of a file, after checking its global header. */
    private static List<Record> read(Path file) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        assertEquals(0xA1B2C3D4, in.getInt(), "magic: microsecond timestamps, in the byte order of the fields");
        assertEquals(2, in.getShort(), "version major");
        assertEquals(4, in.getShort(), "version minor");
        assertEquals(0, in.getInt(), "thiszone");
        assertEquals(0, in.getInt(), "sigfigs");
        assertEquals(65535, in.getInt(), "snaplen");
        assertEquals(101, in.getInt(), "link type RAW: each record is an IP packet");
        List<Record> records = new ArrayList<>();
        while (in.hasRemaining()) {
            long seconds = Integer.toUnsignedLong(in.getInt());
            int micros = in.getInt();
            assertTrue(micros >= 0 && micros < 1_000_000, "microseconds " + micros);
            int incl = in.getInt();
            int orig = in.getInt();
            byte[] data = new byte[incl];
            in.get(data);
            records.add(new Record(seconds * 1_000_000 + micros, incl, orig, data));
        }
        return records;
    }

    /** Whether this process has {@code file} open (Linux: a descriptor in /proc/self/fd links to it). */
    private static boolean openHere(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException gone) {
                    return false; // closed meanwhile (the listing's own descriptor, for one)
                }
            });
        }
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    @Test
    void aFewPacketsMakeTheHeaderAndARecordEach() throws Exception {
        Path file = dir.resolve("a.pcap");
        Instant before = Instant.now();
        capture.start(file, 1 << 20);
        assertTrue(capture.active());
        assertEquals(file, capture.file());
        List<byte[]> sent = List.of(packet(1, 84), packet(2, 20), packet(3, 1500));
        sent.forEach(this::record);
        assertTrue(capture.stop());
        Instant after = Instant.now();

        List<Record> records = read(file);
        assertEquals(sent.size(), records.size());
        long last = micros(before);
        for (int i = 0; i < sent.size(); i++) {
            Record r = records.get(i);
            assertArrayEquals(sent.get(i), r.data(), "record " + i);
            assertEquals(sent.get(i).length, r.inclLen());
            assertEquals(sent.get(i).length, r.origLen());
            assertTrue(r.micros() >= last && r.micros() <= micros(after), "timestamps in order, within the test");
            last = r.micros();
        }
        assertEquals(HEADER + 3 * RECORD_HEADER + 84 + 20 + 1500, Files.size(file));
        assertEquals(3, capture.written());
        assertEquals(0, capture.dropped());
    }

    @Test
    void theCaptureStopsItselfBeforeARecordWouldPassTheMaximumSize() throws Exception {
        Path file = dir.resolve("max.pcap");
        long max = HEADER + 2 * (RECORD_HEADER + 100) + RECORD_HEADER + 99; // room for two and not quite a third
        capture.start(file, max);
        for (int i = 1; i <= 3; i++) {
            record(packet(i, 100));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (capture.active() && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        assertFalse(capture.active(), "stopped by itself");
        assertNull(capture.file());
        record(packet(4, 100)); // ignored once stopped
        capture.stop();
        List<Record> records = read(file);
        assertEquals(2, records.size());
        assertEquals(HEADER + 2 * (RECORD_HEADER + 100), Files.size(file));
        assertTrue(Files.size(file) <= max);
        assertEquals(2, capture.written());
    }

    @Test
    void stopWritesWhatIsQueuedAndClosesTheFile() throws Exception {
        Path first = dir.resolve("first.pcap");
        Path second = dir.resolve("second.pcap");
        capture.start(first, 1 << 20);
        record(packet(1, 60));
        capture.start(second, 1 << 20); // replaces the first capture, which ends complete
        record(packet(2, 60));
        record(packet(3, 60));
        assertTrue(openHere(second), "written while it runs");
        capture.close();

        assertFalse(capture.active());
        assertNull(capture.file());
        assertEquals(0, capture.size());
        assertFalse(capture.stop(), "nothing left to stop");
        assertFalse(openHere(first) || openHere(second), "the files are closed");
        assertEquals(1, read(first).size());
        assertEquals(2, read(second).size());
        assertArrayEquals(packet(3, 60), read(second).get(1).data());
    }

    @Test
    void nothingIsRecordedWithoutACapture() {
        assertFalse(capture.active());
        record(packet(1, 60));
        assertEquals(0, capture.written());
        assertEquals(0, capture.dropped());
    }
}
