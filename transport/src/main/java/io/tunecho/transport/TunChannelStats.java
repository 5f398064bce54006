package io.tunecho.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one TUN channel moved: packets and bytes read and written, and writes the device refused. Counted by the
 * channel's event loop alone (plain increments, no atomics on the hot path) and read from any thread with opaque
 * reads, as a metrics scrape does: a reader sees a recent value, never a torn one.
 */
public final class TunChannelStats {
    private static final VarHandle PACKETS_READ;
    private static final VarHandle BYTES_READ;
    private static final VarHandle PACKETS_WRITTEN;
    private static final VarHandle BYTES_WRITTEN;
    private static final VarHandle WRITE_ERRORS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PACKETS_READ = l.findVarHandle(TunChannelStats.class, "packetsRead", long.class);
            BYTES_READ = l.findVarHandle(TunChannelStats.class, "bytesRead", long.class);
            PACKETS_WRITTEN = l.findVarHandle(TunChannelStats.class, "packetsWritten", long.class);
            BYTES_WRITTEN = l.findVarHandle(TunChannelStats.class, "bytesWritten", long.class);
            WRITE_ERRORS = l.findVarHandle(TunChannelStats.class, "writeErrors", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long packetsRead;
    private long bytesRead;
    private long packetsWritten;
    private long bytesWritten;
    private long writeErrors;

    /** On the event loop: one packet of {@code bytes} read. */
    void read(int bytes) {
        read(1, bytes);
    }

    /** On the event loop: {@code packets} packets of {@code bytes} in all read. */
    void read(int packets, long bytes) {
        if (packets > 0) {
            PACKETS_READ.setOpaque(this, packetsRead + packets);
            BYTES_READ.setOpaque(this, bytesRead + bytes);
        }
    }

    /** On the event loop: one packet of {@code bytes} written. */
    void written(int bytes) {
        written(1, bytes);
    }

    /** On the event loop: {@code packets} packets of {@code bytes} in all written. */
    void written(int packets, long bytes) {
        if (packets > 0) {
            PACKETS_WRITTEN.setOpaque(this, packetsWritten + packets);
            BYTES_WRITTEN.setOpaque(this, bytesWritten + bytes);
        }
    }

    /** On the event loop: a write the device refused. */
    void writeError() {
        WRITE_ERRORS.setOpaque(this, writeErrors + 1);
    }

    public long packetsRead() {
        return (long) PACKETS_READ.getOpaque(this);
    }

    public long bytesRead() {
        return (long) BYTES_READ.getOpaque(this);
    }

    public long packetsWritten() {
        return (long) PACKETS_WRITTEN.getOpaque(this);
    }

    public long bytesWritten() {
        return (long) BYTES_WRITTEN.getOpaque(this);
    }

    public long writeErrors() {
        return (long) WRITE_ERRORS.getOpaque(this);
    }
}
