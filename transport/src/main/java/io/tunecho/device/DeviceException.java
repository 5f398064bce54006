package io.tunecho.device;

import jnr.constants.platform.Errno;

import java.io.IOException;

/**
 * A system call on a TUN device or interface failed. The message is one line for a user: what failed, the
 * error, and what to do about it.
 */
public final class DeviceException extends IOException {
    private static final long serialVersionUID = 1L;

    private static final String NEED_CAP = "run as root or grant CAP_NET_ADMIN"
            + " (in a container: --cap-add NET_ADMIN --device /dev/net/tun)";

    private final int errno;

    DeviceException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The errno of the failed call. */
    public int errno() {
        return errno;
    }

    static String describe(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == null || e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.description() + " (" + e.name() + ")";
    }

    static boolean is(int errno, Errno e) {
        return errno == e.intValue();
    }

    /** {@code open("/dev/net/tun")} failed. */
    static DeviceException openTun(String path, int errno) {
        String fix;
        if (is(errno, Errno.ENOENT) || is(errno, Errno.ENXIO) || is(errno, Errno.ENODEV)) {
            fix = "load the tun module (modprobe tun); in a container pass --device /dev/net/tun";
        } else if (is(errno, Errno.EACCES) || is(errno, Errno.EPERM)) {
            fix = NEED_CAP;
        } else {
            fix = "check that " + path + " is the TUN/TAP character device";
        }
        return new DeviceException("cannot open " + path + ": " + describe(errno) + "; " + fix, errno);
    }

    /** {@code TUNSETIFF} failed. */
    static DeviceException attach(String name, boolean multiQueue, int errno) {
        String shown = name.isEmpty() ? "a new TUN interface" : "TUN interface " + name;
        if (is(errno, Errno.EPERM) || is(errno, Errno.EACCES)) {
            return new DeviceException("cannot create or attach " + shown + ": " + describe(errno) + "; "
                    + NEED_CAP, errno);
        }
        if (is(errno, Errno.EBUSY)) {
            return new DeviceException("interface " + name + " is in use by another process (EBUSY); stop that "
                    + "process or use another interface name", errno);
        }
        if (is(errno, Errno.EINVAL)) {
            return new DeviceException("interface " + name + " exists but is not a " + (multiQueue ? "multi-queue "
                    : "single-queue ") + "TUN device (a TAP, another kind of interface, or made with the other "
                    + "queue mode) (EINVAL); delete it (ip link del " + name + ") or use another interface name",
                    errno);
        }
        return new DeviceException("cannot create or attach " + shown + ": " + describe(errno), errno);
    }

    /** An interface configuration ioctl failed. */
    static DeviceException configure(String name, String what, int errno) {
        String message = "cannot " + what + " on interface " + name + ": " + describe(errno);
        if (is(errno, Errno.EPERM) || is(errno, Errno.EACCES)) {
            message += "; " + NEED_CAP;
        } else if (is(errno, Errno.ENODEV)) {
            message += "; the interface went away";
        }
        return new DeviceException(message, errno);
    }
}
