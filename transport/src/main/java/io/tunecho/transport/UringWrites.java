package io.tunecho.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.Errors;

import java.io.IOException;

/**
 * The writes of an {@link IoUringTunChannel}: one io_uring write ({@code IORING_OP_WRITEV} of one {@code iovec},
 * {@link IovecSlots}) per flushed packet, up to {@value #MAX_IN_FLIGHT} in flight, all of an event-loop turn
 * submitted together with the loop's next {@code io_uring_enter}; the lone packet of a turn, with nothing in
 * flight, goes out at once with {@code write(2)} instead.
 *
 * <p>Each packet stays in the channel's outbound buffer, which owns it, until its own write has completed, so
 * the kernel never reads from a released buffer. The kernel may complete writes out of order (a write that
 * cannot complete at once is retried later, on a poll or by an io-wq worker, while the next ones complete), and
 * the outbound buffer can only be emptied from its head: a completion is recorded against its own write, and
 * writes leave the outbound buffer in their order, each with its own result. A failed write fails its own
 * promise and no other.
 */
final class UringWrites implements ChannelOutboundBuffer.MessageProcessor {
    static final int MAX_IN_FLIGHT = 256;
    private static final int MASK = MAX_IN_FLIGHT - 1;

    private final IoUringTunChannel channel;
    /** Per slot, the result of a completed write; slots are taken in submission order, from {@link #head}. */
    private final int[] results = new int[MAX_IN_FLIGHT];
    private final boolean[] completed = new boolean[MAX_IN_FLIGHT];
    /** The slot of the oldest write that has not left the outbound buffer. */
    private int head;
    /** Writes submitted (or empty packets taken) that have not left the outbound buffer yet. */
    private int pending;
    private int skip;
    private ChannelOutboundBuffer out;
    private IovecSlots slots;

    UringWrites(IoUringTunChannel channel) {
        this.channel = channel;
    }

    /** Writes submitted whose buffers the kernel may still read. */
    int inFlight() {
        return pending;
    }

    /** Submits a write for each flushed packet of {@code in} that has none yet, as far as slots allow. */
    void submit(ChannelOutboundBuffer in) throws Exception {
        out = in;
        if (pending == 0 && in.size() == 1 && writeAtOnce((ByteBuf) in.current())) {
            return;
        }
        skip = pending; // the flushed packets at the head of the buffer are the ones already submitted
        in.forEachFlushedMessage(this);
        removeCompleted();
    }

    @Override
    public boolean processMessage(Object msg) {
        if (skip > 0) {
            skip--;
            return true;
        }
        if (pending == MAX_IN_FLIGHT) {
            return false; // a completion submits the rest
        }
        int slot = (head + pending) & MASK;
        pending++;
        ByteBuf buf = (ByteBuf) msg;
        if (!buf.isReadable()) {
            // Nothing to write, as on epoll: the packet completes, in its turn.
            results[slot] = 0;
            completed[slot] = true;
            return true;
        }
        completed[slot] = false;
        if (slots == null) {
            slots = new IovecSlots(IovecSlots.IORING_OP_WRITEV, channel.fd().intValue(), MAX_IN_FLIGHT);
        }
        channel.registration().submit(slots.prepare(slot, buf.memoryAddress() + buf.readerIndex(),
                buf.readableBytes()));
        return true;
    }

    /**
     * The one packet of a turn, with no write in flight, goes out with a plain {@code write(2)}: the TUN driver
     * takes a packet without waiting, so the write is done when the call returns, and the packet leaves the
     * outbound buffer at once. Through io_uring it would cost the event loop a second {@code io_uring_enter} and a
     * second turn for its completion. False if the device's queue is full (EAGAIN): then io_uring writes it.
     */
    private boolean writeAtOnce(ByteBuf buf) {
        if (buf.isReadable()) {
            int written;
            try {
                written = channel.fd().writeAddress(buf.memoryAddress(), buf.readerIndex(), buf.writerIndex());
            } catch (IOException e) {
                channel.stats().writeError();
                out.remove(e); // the kernel refused this packet (not IP, the link down, ...): its promise fails
                return true;
            }
            if (written == 0) {
                return false;
            }
            channel.stats().written(written);
        }
        out.remove();
        return true;
    }

    /** The write in {@code slot} completed with {@code res} (bytes written, or -errno). */
    void completed(int slot, int res) {
        results[slot] = res;
        completed[slot] = true;
        removeCompleted();
        if (pending < MAX_IN_FLIGHT && out.size() > pending && !channel.isClosing()) {
            channel.flushAgain(); // packets that found every slot taken
        }
    }

    /** Lets the completed writes at the head leave the outbound buffer, each completing its own promise. */
    private void removeCompleted() {
        while (pending > 0 && completed[head]) {
            int res = results[head];
            completed[head] = false;
            head = (head + 1) & MASK;
            pending--;
            if (res >= 0) {
                if (res > 0) {
                    channel.stats().written(res);
                }
                out.remove();
            } else {
                channel.stats().writeError();
                out.remove(Errors.newIOException("write", res));
            }
        }
    }
}
