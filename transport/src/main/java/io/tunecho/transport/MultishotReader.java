package io.tunecho.transport;

import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoOps;
import io.tunecho.device.DeviceException;
import io.tunecho.device.RegisteredRing;

import java.util.concurrent.TimeUnit;

/**
 * Reads with one multishot read ({@code IORING_OP_READ_MULTISHOT}, Linux 6.7+) into a {@link PacketBufferRing}:
 * armed once, it completes once per packet, each time into a buffer that the kernel takes from the ring, and
 * reads every packet that waits when the device becomes readable, without a submission per packet. Each packet
 * goes down the pipeline as a {@code ByteBuf} over its ring buffer; releasing it gives the buffer back.
 *
 * <p>The kernel ends a multishot read (a completion without {@code IORING_CQE_F_MORE}) when the ring has no
 * buffer left ({@code -ENOBUFS}: re-armed as soon as a buffer comes back), on an error, or when it is cancelled;
 * otherwise it is armed again at once. A ring stays dry when the pipeline keeps its buffers (fragments waiting for
 * the rest of their datagram, for seconds): when none has come back after {@value #DRY_MILLIS} ms, the read goes
 * on with a fresh ring, and the kept buffers stay valid until they are released, as epoll's read buffers would.
 * What the pipeline keeps is bounded by its own caps, and so are the rings. The device's descriptor is
 * non-blocking in this mode.
 */
final class MultishotReader implements UringReader {
    static final byte IORING_OP_READ_MULTISHOT = 49;
    private static final byte IOSQE_BUFFER_SELECT = 1 << 5;
    private static final int IORING_CQE_F_BUFFER = 1;
    private static final int IORING_CQE_F_MORE = 2;
    private static final int IORING_CQE_BUFFER_SHIFT = 16;
    private static final int ENOBUFS = 105;
    private static final int EINVAL = 22;
    private static final int EOPNOTSUPP = 95;
    /** How long a dry ring waits for a buffer to come back before the read goes on with a fresh one. */
    static final long DRY_MILLIS = 20;

    private final IoUringTunChannel channel;
    private final RegisteredRing kernelRing;
    private final Runnable buffersBack = this::buffersBack;
    private final Runnable dryCheck = this::dryCheck;
    private boolean dryCheckSet;
    private int replaced;
    private PacketBufferRing ring;
    private long readId;
    private boolean armed;
    private boolean cancelling;
    private boolean waitingForBuffers;
    private boolean delivered;
    /** Whether the kernel had every buffer when the read was armed, and whether it has taken one since. */
    private boolean fullAtArm;
    private boolean takenSinceArm;
    private int resizeTo;
    private int runsDry;
    private int arms;

    MultishotReader(IoUringTunChannel channel, RegisteredRing kernelRing, PacketBufferRing ring) {
        this.channel = channel;
        this.kernelRing = kernelRing;
        this.ring = ring;
    }

    @Override
    public void start() {
        if (!armed && !waitingForBuffers) {
            arm();
        }
    }

    private void arm() {
        // Netty 4.2.18's argument order: ..., data, buf_index/buf_group, personality, ...
        readId = channel.registration().submit(new IoUringIoOps(IORING_OP_READ_MULTISHOT, IOSQE_BUFFER_SELECT,
                (short) 0, channel.fd().intValue(), 0L, 0L, 0, 0, (short) 0, (short) ring.groupId(), (short) 0, 0,
                0L));
        armed = true;
        arms++;
        fullAtArm = ring.buffersOut() == 0;
        takenSinceArm = false;
    }

    @Override
    public void completed(IoUringIoEvent event) {
        int res = event.res();
        int flags = event.flags();
        boolean ended = (flags & IORING_CQE_F_MORE) == 0;
        if (ended) {
            armed = false;
            cancelling = false;
        }
        if ((flags & IORING_CQE_F_BUFFER) != 0) {
            delivered = true;
            takenSinceArm = true;
            channel.packetRead(ring.take(flags >>> IORING_CQE_BUFFER_SHIFT, res));
        } else if (res == -ENOBUFS) {
            if (ended && fullAtArm && !takenSinceArm && !channel.isClosing()) {
                // The ring was full and the read took nothing from it: the kernel looked in another ring.
                channel.multishotUnusable("the kernel found no buffer in the buffer ring (" + ring + ")");
                return;
            }
            runsDry++;
            waitingForBuffers = true;
            ring.onNextReturn(buffersBack);
            if (!dryCheckSet) {
                dryCheckSet = true;
                channel.eventLoop().schedule(dryCheck, DRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        } else if (res < 0 && res != -IoUringTunChannel.ECANCELED && res != -IoUringTunChannel.EAGAIN
                && res != -IoUringTunChannel.EINTR) {
            if (ended && !delivered && (res == -EINVAL || res == -EOPNOTSUPP) && !channel.isClosing()) {
                channel.multishotUnusable("the kernel refused the multishot read (errno " + -res + ")");
                return;
            }
            channel.readFailed(res);
        }
        // A result of 0 ends the read like any other end: it is armed again below, as epoll reads on.
        if (ended) {
            ended();
        }
    }

    private void ended() {
        if (channel.isClosing()) {
            channel.ioMayHaveStopped();
            return;
        }
        if (resizeTo > 0 && !resize()) {
            return;
        }
        if (!waitingForBuffers && channel.keepsReading()) {
            arm();
        }
    }

    /** A buffer came back to a ring that had run dry. */
    private void buffersBack() {
        waitingForBuffers = false;
        if (!armed && !channel.isClosing() && channel.keepsReading()) {
            arm();
        }
    }

    /** The ring has stayed dry: the pipeline keeps its buffers, so the read goes on with a fresh ring. */
    private void dryCheck() {
        dryCheckSet = false;
        if (!waitingForBuffers || armed || channel.isClosing() || !channel.keepsReading()) {
            return;
        }
        replaced++;
        resizeTo = ring.bufferSize();
        if (resize()) {
            arm();
        }
    }

    private void cancelRead() {
        if (armed && !cancelling) {
            cancelling = true;
            channel.registration().submit(IoUringTunChannel.cancelOp(readId));
        }
    }

    @Override
    public void pause() {
        cancelRead();
    }

    @Override
    public boolean inFlight() {
        return armed;
    }

    @Override
    public void cancel() {
        waitingForBuffers = false;
        ring.onNextReturn(null);
        cancelRead();
    }

    /**
     * A larger MTU needs larger buffers (a packet larger than its buffer would be cut): the read is cancelled, and
     * armed again on a new ring when it has ended. Packets held from the old ring stay valid.
     */
    @Override
    public void mtuChanged(int mtu) {
        if (mtu <= ring.bufferSize() || channel.isClosing()) {
            return;
        }
        resizeTo = mtu;
        if (armed) {
            cancelRead();
        } else if (resize() && !waitingForBuffers && channel.keepsReading()) {
            arm();
        }
    }

    /** Replaces the ring by one with buffers of {@link #resizeTo} bytes; false if the channel had to fall back. */
    private boolean resize() {
        int size = resizeTo;
        resizeTo = 0;
        ring.close();
        waitingForBuffers = false;
        try {
            ring = PacketBufferRing.open(kernelRing, channel.eventLoop(), channel.config().getAllocator(),
                    channel.config().readBuffersFor(size), size);
            return true;
        } catch (DeviceException e) {
            channel.multishotUnusable(e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        waitingForBuffers = false;
        ring.close();
    }

    @Override
    public String mode() {
        return "multishot";
    }

    PacketBufferRing ring() {
        return ring;
    }

    /** How often the ring ran dry and the read waited for a buffer to come back. */
    int runsDry() {
        return runsDry;
    }

    /** How often a ring that stayed dry was replaced by a fresh one. */
    int replaced() {
        return replaced;
    }

    /** How often the read was armed. */
    int arms() {
        return arms;
    }
}
