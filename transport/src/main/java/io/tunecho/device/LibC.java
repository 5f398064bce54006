package io.tunecho.device;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;
import jnr.posix.POSIXFactory;

/**
 * The libc calls tunecho makes, and the only place that binds them. {@code open}, {@code fcntl}, {@code close},
 * {@code setgid} and {@code setuid} are jnr-posix's own declarations ({@link jnr.posix.LibC}); jnr-posix has no
 * {@code ioctl}, {@code socket}, {@code setgroups} or {@code getresuid}, so those are declared here ({@link Native}),
 * with {@code getpwnam} (jnr-posix's returns its {@code Passwd}, which only its eager {@code POSIXFactory} binding
 * can convert). Both are bound with jnr-ffi.
 */
final class LibC {
    /**
     * glibc by its file name: given just "c", jnr lists every library directory to find the newest libc.so.N,
     * which costs ~10 ms per load.
     */
    private static final String LIBRARY = "libc.so.6";

    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;

    static final int F_GETFL = 3;
    static final int F_SETFL = 4;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
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

        /** {@code struct passwd *getpwnam(const char *)}: null when there is no such user (errno 0) or on error. */
        @SaveError
        Pointer getpwnam(String name);

        @SaveError
        int setgroups(long size, @In int[] groups);

        @SaveError
        int getresuid(@Out int[] real, @Out int[] effective, @Out int[] saved);

        @SaveError
        int getresgid(@Out int[] real, @Out int[] effective, @Out int[] saved);
    }

    private static final class Holder {
        static {
            // jnr-ffi generates bytecode for every bound function unless told otherwise. tunecho makes a handful
            // of calls, all at start-up, for which jnr's reflective binding is fast enough and far cheaper to set
            // up. A program that set the property keeps its choice.
            if (System.getProperty("jnr.ffi.asm.enabled") == null) {
                System.setProperty("jnr.ffi.asm.enabled", "false");
            }
        }

        static final jnr.posix.LibC POSIX = loadPosixLibC();
        static final Native NATIVE = LibraryLoader.create(Native.class).load(LIBRARY);
        static final Runtime RUNTIME = Runtime.getRuntime(NATIVE);

        /**
         * jnr-posix's libc, bound lazily: only the functions tunecho calls. {@code POSIXFactory} binds all of its
         * ~300 functions up front, which costs a cold JVM 100 ms of start-up (measured pinned to one CPU). Lazy
         * binding is jnr's reflective loader; where a program turned bytecode generation on, jnr-posix's own
         * factory binds the library instead (jnr cannot generate it without jnr-posix's type mapper).
         */
        private static jnr.posix.LibC loadPosixLibC() {
            if (Boolean.parseBoolean(System.getProperty("jnr.ffi.asm.enabled"))) {
                return POSIXFactory.getNativePOSIX().libc();
            }
            return LibraryLoader.create(jnr.posix.LibC.class).load(LIBRARY);
        }
    }

    private LibC() {
    }

    /** jnr-posix's libc declarations: {@code open}, {@code fcntl}, {@code close}, {@code setgid}, {@code setuid}. */
    static jnr.posix.LibC posix() {
        return Holder.POSIX;
    }

    static Native libc() {
        return Holder.NATIVE;
    }

    static Runtime runtime() {
        return Holder.RUNTIME;
    }

    /** errno of the last libc call of this thread. */
    static int lastError() {
        return Holder.RUNTIME.getLastError();
    }

    /** Sets this thread's saved errno, for calls such as {@code getpwnam} that report "not found" by leaving it. */
    static void clearLastError() {
        Holder.RUNTIME.setLastError(0);
    }
}
