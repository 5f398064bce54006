package io.tunecho.device;

import java.io.Closeable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One file descriptor of {@code /dev/net/tun}, attached to a TUN interface with {@code TUNSETIFF}.
 *
 * <p>{@link #open()} opens the descriptor ({@code O_RDWR | O_NONBLOCK | O_CLOEXEC}) before any interface is named,
 * so that a transport can register it with its event loop first, the way a socket exists before it is bound.
 * {@link #attach} then creates the interface if the name is new, or attaches to an existing one (for example one
 * made with {@code ip tuntap add dev NAME mode tun}), always as {@code IFF_TUN | IFF_NO_PI}: every read and write is
 * one bare IP packet. Closing the descriptor removes an interface that {@link #attach} created; a pre-existing
 * (persistent) interface stays.
 */
public final class TunDevice implements Closeable {
    public static final String CLONE_DEVICE = "/dev/net/tun";

    static final long TUNSETIFF = 0x400454CAL;
    static final int IFF_TUN = 0x0001;
    static final int IFF_NO_PI = 0x1000;
    static final int IFF_MULTI_QUEUE = 0x0100;

    private final int fd;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private volatile String name;
    private volatile boolean created;

    private TunDevice(int fd) {
        this.fd = fd;
    }

    /** Opens {@code /dev/net/tun}, not yet attached to any interface. */
    public static TunDevice open() throws DeviceException {
        int fd = LibC.posix().open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            throw DeviceException.openTun(CLONE_DEVICE, LibC.lastError());
        }
        return new TunDevice(fd);
    }

    /**
     * Attaches this descriptor to the TUN interface {@code name}, creating the interface if there is none of that
     * name. An empty name lets the kernel choose ({@code tun0}, {@code tun1}, ...).
     *
     * @param multiQueue open one queue of a multi-queue device ({@code IFF_MULTI_QUEUE}); must match how an
     *                   existing device was made
     * @throws IllegalArgumentException if the name is not a valid interface name
     * @throws DeviceException          with a message that names the fix (permission, busy, wrong kind, ...)
     */
    public synchronized void attach(String name, boolean multiQueue) throws DeviceException {
        if (!name.isEmpty()) {
            InterfaceName.require(name);
        }
        if (this.name != null) {
            throw new IllegalStateException("already attached to " + this.name);
        }
        boolean existed = !name.isEmpty() && NetInterfaces.exists(name);
        IfReq req = new IfReq(name).flags(IFF_TUN | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0));
        if (LibC.libc().ioctl(fd, TUNSETIFF, req.bytes()) < 0) {
            throw DeviceException.attach(name, multiQueue, LibC.lastError());
        }
        this.created = !existed;
        this.name = req.name();
    }

    public int fd() {
        return fd;
    }

    /**
     * Switches {@code O_NONBLOCK} ({@code fcntl}). The device opens non-blocking, as epoll wants; io_uring wants
     * a blocking descriptor, on which it waits for readiness itself instead of completing a read with EAGAIN.
     */
    public void setNonBlocking(boolean nonBlocking) throws DeviceException {
        int flags = LibC.posix().fcntl(fd, LibC.F_GETFL);
        if (flags < 0) {
            throw DeviceException.configure(name == null ? CLONE_DEVICE : name, "read the descriptor flags",
                    LibC.lastError());
        }
        int wanted = nonBlocking ? flags | LibC.O_NONBLOCK : flags & ~LibC.O_NONBLOCK;
        if (wanted != flags && LibC.posix().fcntl(fd, LibC.F_SETFL, wanted) < 0) {
            throw DeviceException.configure(name == null ? CLONE_DEVICE : name, "set O_NONBLOCK",
                    LibC.lastError());
        }
    }

    /** The interface name, as the kernel has it; {@code null} before {@link #attach}. */
    public String name() {
        return name;
    }

    /** Whether {@link #attach} created the interface (and closing will remove it). */
    public boolean created() {
        return created;
    }

    public boolean isOpen() {
        return open.get();
    }

    /** Closes the descriptor, once. */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            LibC.posix().close(fd);
        }
    }

    @Override
    public String toString() {
        return "TunDevice(fd " + fd + (name == null ? "" : ", " + name) + (isOpen() ? "" : ", closed") + ")";
    }
}
