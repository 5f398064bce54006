package io.tunecho.device;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The libc calls tunecho makes, and the only place that binds them. jnr-posix has {@code open}/{@code close} but no
 * {@code ioctl} or {@code socket}: those are bound here with jnr-ffi.
 */
final class LibC {
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;

    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 02000000;

    /** The subset of libc that jnr-posix lacks. */
    public interface Native {
        @SaveError
        @Variadic(fixedCount = 2)
        int ioctl(int fd, long request, @In @Out byte[] arg);

        @SaveError
        @Variadic(fixedCount = 2)
        int ioctl(int fd, long request, Pointer arg);

        @SaveError
        int socket(int domain, int type, int protocol);
    }

    private static final class Holder {
        static {
            // jnr-ffi generates bytecode for every bound function unless told otherwise: for jnr-posix's hundreds
            // of functions that is ~100 ms of start-up. tunecho makes a handful of calls, all at start-up, for
            // which jnr's reflective binding is fast enough. A program that set the property keeps its choice.
            if (System.getProperty("jnr.ffi.asm.enabled") == null) {
                System.setProperty("jnr.ffi.asm.enabled", "false");
            }
        }

        static final POSIX POSIX = POSIXFactory.getNativePOSIX();
        static final Native NATIVE = LibraryLoader.create(Native.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(NATIVE);
    }

    private LibC() {
    }

    static POSIX posix() {
        return Holder.POSIX;
    }

    static Native libc() {
        return Holder.NATIVE;
    }

    static Runtime runtime() {
        return Holder.RUNTIME;
    }

    /** errno of the last jnr-ffi call of this thread that is annotated with {@code @SaveError}. */
    static int lastError() {
        return Holder.RUNTIME.getLastError();
    }
}
