package io.tunecho.transport;

import io.netty.channel.unix.Buffer;
import io.netty.channel.uring.IoUringIoOps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Vectored reads or writes ({@code IORING_OP_READV}/{@code WRITEV}) of one descriptor, one slot per operation in
 * flight, each slot with its own one-element {@code iovec} in native memory and its submission made once. An
 * operation fills its slot's {@code iovec} and submits the slot's submission: nothing is allocated per packet
 * (a plain {@code READ}/{@code WRITE} names its buffer in the submission itself, which Netty's API makes an object
 * per operation). The {@code iovec} of a slot stays as it is until the slot's operation has completed.
 */
final class IovecSlots {
    static final byte IORING_OP_READV = 1;
    static final byte IORING_OP_WRITEV = 2;
    /** {@code struct iovec}: {@code void *iov_base; size_t iov_len}. */
    private static final int IOVEC_SIZE = 16;

    private final ByteBuffer iovecs;
    private final IoUringIoOps[] ops;

    IovecSlots(byte opcode, int fd, int slots) {
        iovecs = ByteBuffer.allocateDirect(slots * IOVEC_SIZE).order(ByteOrder.nativeOrder());
        long base = Buffer.memoryAddress(iovecs);
        ops = new IoUringIoOps[slots];
        for (int slot = 0; slot < slots; slot++) {
            // Netty 4.2.18's argument order: ..., len, rw_flags, data, buf_index, personality, ...
            ops[slot] = new IoUringIoOps(opcode, (byte) 0, (short) 0, fd, -1L, base + (long) slot * IOVEC_SIZE, 1, 0,
                    (short) slot, (short) 0, (short) 0, 0, 0L);
        }
    }

    /** The submission of {@code slot}, for {@code length} bytes at {@code address}; its completion names the slot. */
    IoUringIoOps prepare(int slot, long address, int length) {
        int offset = slot * IOVEC_SIZE;
        iovecs.putLong(offset, address);
        iovecs.putLong(offset + 8, length);
        return ops[slot];
    }
}
