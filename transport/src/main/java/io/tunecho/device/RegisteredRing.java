package io.tunecho.device;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code io_uring_register(2)} on an io_uring instance that the calling thread registered with
 * {@code IORING_REGISTER_RING_FDS}, addressed by its index in the thread's table of registered rings
 * ({@code IORING_REGISTER_USE_REGISTERED_RING}, Linux 6.3+) instead of by its descriptor. A program that does not
 * know a ring's descriptor (Netty's io_uring event loop keeps it private, but registers its ring on its own thread
 * when it starts) can still register resources with it, from that thread. glibc has no wrapper for the call:
 * it goes through {@code syscall(2)}.
 */
public final class RegisteredRing {
    /** {@code __NR_io_uring_setup} on x86-64 and on every architecture with the generic syscall table. */
    static final long SYS_IO_URING_SETUP = 425;
    /** {@code __NR_io_uring_register}, likewise. */
    static final long SYS_IO_URING_REGISTER = 427;
    static final long IORING_REGISTER_PROBE = 8;
    private static final long IORING_REGISTER_PBUF_RING = 22;
    private static final long IORING_UNREGISTER_PBUF_RING = 23;
    private static final long IORING_REGISTER_USE_REGISTERED_RING = 1L << 31;
    private static final int BUF_REG_SIZE = 40;

    /** The one libc function this package's io_uring calls need, as {@code syscall(2)} reads its arguments. */
    interface Syscall {
        /** {@code io_uring_register(fd, opcode, arg, count)}. */
        @SaveError
        @Variadic(fixedCount = 1)
        long syscall(long number, long fd, long opcode, @In @Out byte[] arg, long count);

        /** {@code io_uring_setup(entries, params)}. */
        @SaveError
        @Variadic(fixedCount = 1)
        long syscall(long number, long entries, @In @Out byte[] params);
    }

    static final class Holder {
        static final Syscall SYSCALL = load();

        private static Syscall load() {
            LibC.runtime(); // LibC's set-up first: it chooses how jnr binds functions
            return LibraryLoader.create(Syscall.class).load("libc.so.6");
        }
    }

    private final int index;

    /**
     * The ring at {@code index} in the calling thread's table of registered rings. Netty's io_uring event loop
     * thread registers its ring first, so its ring has index 0 on that thread.
     */
    public RegisteredRing(int index) {
        this.index = index;
    }

    /**
     * Whether the ring's kernel supports the operation {@code opcode} ({@code IORING_REGISTER_PROBE}).
     *
     * @throws DeviceException if the ring cannot be probed (no ring registered at that index on this thread, or a
     *                         kernel older than 6.3)
     */
    public boolean supports(int opcode) throws DeviceException {
        byte[] probe = IoUringProbe.newProbe();
        register(IORING_REGISTER_PROBE, probe, IoUringProbe.PROBE_OPS, "probe its operations");
        return IoUringProbe.supported(probe, opcode);
    }

    /**
     * Registers a provided-buffer ring ({@code IORING_REGISTER_PBUF_RING}, Linux 5.19+): {@code entries}
     * {@code struct io_uring_buf}s of 16 bytes at {@code ringAddress}, which must be page-aligned and stay
     * allocated until {@link #unregisterBufferRing}; reads with {@code IOSQE_BUFFER_SELECT} and this
     * {@code groupId} then take their buffers from it.
     *
     * @throws DeviceException with {@link DeviceException#errno()} EEXIST if the ring has a group of that id already
     */
    public void registerBufferRing(long ringAddress, int entries, int groupId) throws DeviceException {
        ByteBuffer reg = ByteBuffer.allocate(BUF_REG_SIZE).order(ByteOrder.nativeOrder());
        reg.putLong(0, ringAddress).putInt(8, entries).putShort(12, (short) groupId);
        register(IORING_REGISTER_PBUF_RING, reg.array(), 1, "register buffer ring " + groupId);
    }

    /** Unregisters the provided-buffer ring {@code groupId}: the kernel no longer takes buffers from it. */
    public void unregisterBufferRing(int groupId) throws DeviceException {
        ByteBuffer reg = ByteBuffer.allocate(BUF_REG_SIZE).order(ByteOrder.nativeOrder());
        reg.putShort(12, (short) groupId);
        register(IORING_UNREGISTER_PBUF_RING, reg.array(), 1, "unregister buffer ring " + groupId);
    }

    private void register(long opcode, byte[] arg, int count, String what) throws DeviceException {
        long result = Holder.SYSCALL.syscall(SYS_IO_URING_REGISTER, index,
                opcode | IORING_REGISTER_USE_REGISTERED_RING, arg, count);
        if (result < 0) {
            int errno = LibC.lastError();
            throw new DeviceException("io_uring_register: cannot " + what + " on this thread's registered ring "
                    + index + ": " + DeviceException.describe(errno), errno);
        }
    }

    @Override
    public String toString() {
        return "RegisteredRing(" + index + ")";
    }
}
