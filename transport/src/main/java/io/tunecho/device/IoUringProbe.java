package io.tunecho.device;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Which io_uring operations this kernel supports, asked of a ring that exists only for the question
 * ({@code io_uring_setup(2)} with one entry, {@code IORING_REGISTER_PROBE} on its descriptor, {@code close}). It
 * needs no event loop, so a program can decide how to do I/O before it starts one. Also the layout of the probe's
 * answer, which {@link RegisteredRing#supports} reads the same way.
 */
public final class IoUringProbe {
    static final int PROBE_OPS = 256;
    private static final int PROBE_HEADER = 16;
    private static final int PROBE_OP_SIZE = 8;
    private static final int IO_URING_OP_SUPPORTED = 1;
    /** {@code sizeof(struct io_uring_params)}: the kernel fills in the ring's offsets and features. */
    private static final int PARAMS_SIZE = 120;

    private IoUringProbe() {
    }

    /**
     * Whether this kernel's io_uring supports the operation {@code opcode}; {@code false} also where the kernel is
     * too old to be asked ({@code IORING_REGISTER_PROBE}, Linux 5.6+).
     *
     * @throws DeviceException if no io_uring can be set up: {@link DeviceException#errno()} is EPERM where a
     *                         seccomp profile or {@code kernel.io_uring_disabled} refuses it, ENOSYS where the
     *                         kernel has no io_uring
     */
    public static boolean kernelSupports(int opcode) throws DeviceException {
        RegisteredRing.Syscall sys = RegisteredRing.Holder.SYSCALL;
        long fd = sys.syscall(RegisteredRing.SYS_IO_URING_SETUP, 1, new byte[PARAMS_SIZE]);
        if (fd < 0) {
            int errno = LibC.lastError();
            throw new DeviceException("io_uring_setup: " + DeviceException.describe(errno), errno);
        }
        try {
            byte[] probe = newProbe();
            long result = sys.syscall(RegisteredRing.SYS_IO_URING_REGISTER, fd, RegisteredRing.IORING_REGISTER_PROBE,
                    probe, PROBE_OPS);
            return result >= 0 && supported(probe, opcode);
        } finally {
            LibC.posix().close((int) fd);
        }
    }

    /** A zeroed {@code struct io_uring_probe} with room for {@link #PROBE_OPS} operations. */
    static byte[] newProbe() {
        return new byte[PROBE_HEADER + PROBE_OPS * PROBE_OP_SIZE];
    }

    /** Whether a probe that the kernel filled in marks {@code opcode} as supported. */
    static boolean supported(byte[] probe, int opcode) {
        int lastOp = probe[0] & 0xFF;
        if (opcode < 0 || opcode > lastOp) {
            return false;
        }
        ByteBuffer ops = ByteBuffer.wrap(probe).order(ByteOrder.nativeOrder());
        int flags = ops.getShort(PROBE_HEADER + opcode * PROBE_OP_SIZE + 2) & 0xFFFF;
        return (flags & IO_URING_OP_SUPPORTED) != 0;
    }
}
