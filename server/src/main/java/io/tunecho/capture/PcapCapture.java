package io.tunecho.capture;

import io.netty.buffer.ByteBuf;
import io.tunecho.packet.PacketCapture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Packet capture to a pcap file (the classic format, link type RAW: each record is one IPv4 or IPv6 packet), which
 * {@code tcpdump -r} and Wireshark read. The event loops copy each packet into a bounded queue and never wait; a
 * thread of its own writes the file. What does not fit in the queue is dropped and counted; the capture stops by
 * itself when the file reaches its maximum size, or when a write fails (a full disk), with one log line. Thread-safe.
 */
public final class PcapCapture implements PacketCapture, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PcapCapture.class);
    /** pcap's magic for microsecond timestamps, written in the machine's byte order. */
    private static final int MAGIC = 0xA1B2C3D4;
    private static final int LINKTYPE_RAW = 101;
    private static final int SNAPLEN = 65535;
    private static final int HEADER = 24;
    private static final int RECORD_HEADER = 16;
    /** Packets waiting for the writer at most. */
    static final int QUEUE = 16_384;

    private record Packet(long micros, byte[] data) {
    }

    private volatile Session session;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    /** Told after every start and stop: the answering pipelines put their capture stage in or take it out. */
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** One capture, from start to stop. */
    private final class Session implements Runnable {
        final Path file;
        final long maxSize;
        final BlockingQueue<Packet> queue = new ArrayBlockingQueue<>(QUEUE);
        final OutputStream out;
        final Thread writer;
        volatile boolean running = true;
        long size;

        Session(Path file, long maxSize) throws IOException {
            this.file = file;
            this.maxSize = maxSize;
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.nativeOrder());
            h.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN)
                    .putInt(LINKTYPE_RAW);
            out.write(h.array());
            out.flush();
            size = HEADER;
            this.writer = new Thread(this, "tunecho-capture");
            writer.setDaemon(true);
        }

        @Override
        public void run() {
            ByteBuffer rh = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.nativeOrder());
            try {
                while (running || !queue.isEmpty()) {
                    Packet p = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (p == null) {
                        out.flush();
                        continue;
                    }
                    long recordSize = RECORD_HEADER + p.data.length;
                    if (size + recordSize > maxSize) {
                        log.info("capture {} reached its maximum size ({} bytes); stopped", file, maxSize);
                        running = false;
                        break;
                    }
                    rh.clear();
                    rh.putInt((int) (p.micros / 1_000_000)).putInt((int) (p.micros % 1_000_000))
                            .putInt(p.data.length).putInt(p.data.length);
                    out.write(rh.array());
                    out.write(p.data);
                    size += recordSize;
                    written.incrementAndGet();
                }
            } catch (IOException e) {
                log.warn("capture {} stopped: cannot write ({})", file, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running = false;
                dropped.addAndGet(queue.size());
                queue.clear();
                try {
                    out.close();
                } catch (IOException e) {
                    log.warn("capture {}: cannot close the file ({})", file, e.getMessage());
                }
            }
        }
    }

    /**
     * Starts capturing into {@code file} (replacing a running capture).
     *
     * @throws IOException when the file cannot be created
     */
    public synchronized void start(Path file, long maxSize) throws IOException {
        stop();
        Session s = new Session(file, maxSize);
        s.writer.start();
        session = s;
        log.info("capturing to {} (at most {} bytes)", file, maxSize);
        changed();
    }

    /** Stops the capture, writing what is queued; returns whether one ran. */
    public synchronized boolean stop() {
        Session s = session;
        session = null;
        if (s == null) {
            return false;
        }
        s.running = false;
        try {
            s.writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("capture {} stopped: {} packets, {} bytes", s.file, written.get(), s.size);
        changed();
        return true;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void changed() {
        for (Runnable l : listeners) {
            l.run();
        }
    }

    @Override
    public boolean active() {
        Session s = session;
        return s != null && s.running;
    }

    @Override
    public void record(ByteBuf packet, boolean inbound) {
        Session s = session;
        if (s == null || !s.running) {
            return;
        }
        int length = Math.min(packet.readableBytes(), SNAPLEN);
        byte[] data = new byte[length];
        packet.getBytes(packet.readerIndex(), data);
        java.time.Instant now = java.time.Instant.now();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        if (!s.queue.offer(new Packet(micros, data))) {
            dropped.incrementAndGet();
        }
    }

    /** The file being written, or {@code null}. */
    public Path file() {
        Session s = session;
        return s != null && s.running ? s.file : null;
    }

    /** Packets written to capture files since start. */
    public long written() {
        return written.get();
    }

    /** Packets that did not fit in the queue (or were left in it when a capture ended early). */
    public long dropped() {
        return dropped.get();
    }

    /** The size of the current file, or 0. */
    public long size() {
        Session s = session;
        return s == null ? 0 : s.size;
    }

    @Override
    public void close() {
        stop();
    }
}
