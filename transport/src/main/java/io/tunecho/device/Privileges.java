package io.tunecho.device;

import jnr.constants.platform.Errno;
import jnr.ffi.Pointer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Dropping root after start-up: once every TUN channel is bound and its interface configured, tunecho needs no
 * privilege to read and write packets, so a server started as root can switch to an unprivileged user for the rest
 * of its life.
 *
 * <p>{@link #drop} calls {@code setgroups(0)}, {@code setgid} and {@code setuid}, in that order (the group calls
 * need the privilege that {@code setuid} gives up). glibc applies each call to every thread of the process. A
 * change of all user ids from 0 to another clears the permitted, effective and ambient capability sets, so nothing
 * of root remains; {@link #drop} then reads every thread's {@code /proc/self/task/TID/status} back and fails unless
 * each shows the user's ids in all four slots (real, effective, saved, filesystem), no supplementary group, and
 * no capability in those three sets.
 *
 * <p>What can no longer change afterwards: everything that needs {@code CAP_NET_ADMIN}, that is the interface's
 * address, MTU, link state, routes, and creating or re-attaching a TUN interface. Closing the descriptors still
 * works, so an interface that tunecho created still disappears when it stops.
 */
public final class Privileges {
    private static final Path TASKS = Path.of("/proc/self/task");

    /** {@code struct passwd} on 64-bit Linux (glibc's pwd.h): pw_name, pw_passwd, then pw_uid and pw_gid. */
    private static final int PW_NAME = 0;
    private static final int PW_UID = 16;
    private static final int PW_GID = 20;

    /** A user to run as: its name, uid and primary group from the user database. */
    public record User(String name, int uid, int gid) {
        @Override
        public String toString() {
            return name + " (uid " + Integer.toUnsignedString(uid) + ", gid " + Integer.toUnsignedString(gid) + ")";
        }
    }

    /** The credentials of one thread, from its {@code /proc/.../status}. */
    record Credentials(long[] uids, long[] gids, String groups, long capEff, long capPrm, long capAmb) {
        /** Parses the lines of a {@code status} file. */
        static Credentials parse(List<String> lines) {
            long[] uids = null;
            long[] gids = null;
            String groups = null;
            long eff = -1;
            long prm = -1;
            long amb = -1;
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String value = line.substring(colon + 1).trim();
                switch (line.substring(0, colon)) {
                    case "Uid":
                        uids = ids(value);
                        break;
                    case "Gid":
                        gids = ids(value);
                        break;
                    case "Groups":
                        groups = value;
                        break;
                    case "CapEff":
                        eff = Long.parseUnsignedLong(value, 16);
                        break;
                    case "CapPrm":
                        prm = Long.parseUnsignedLong(value, 16);
                        break;
                    case "CapAmb":
                        amb = Long.parseUnsignedLong(value, 16);
                        break;
                    default:
                        break;
                }
            }
            if (uids == null || gids == null || groups == null || eff < 0 || prm < 0 || amb < 0) {
                throw new IllegalArgumentException("not a /proc status file: Uid, Gid, Groups or Cap* missing");
            }
            return new Credentials(uids, gids, groups, eff, prm, amb);
        }

        private static long[] ids(String value) {
            String[] parts = value.split("\\s+");
            long[] ids = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                ids[i] = Long.parseLong(parts[i]);
            }
            return ids;
        }

        /** What is wrong with these credentials for {@code user}, or {@code null} if they are exactly the user's. */
        String mismatch(User user) {
            for (long id : uids) {
                if (id != Integer.toUnsignedLong(user.uid())) {
                    return "its user ids are " + join(uids);
                }
            }
            for (long id : gids) {
                if (id != Integer.toUnsignedLong(user.gid())) {
                    return "its group ids are " + join(gids);
                }
            }
            if (!groups.isEmpty()) {
                return "it keeps supplementary groups " + groups;
            }
            if (capEff != 0 || capPrm != 0 || capAmb != 0) {
                return "it keeps capabilities (CapEff " + Long.toHexString(capEff) + ", CapPrm "
                        + Long.toHexString(capPrm) + ", CapAmb " + Long.toHexString(capAmb) + ")";
            }
            return null;
        }

        private static String join(long[] ids) {
            StringBuilder b = new StringBuilder();
            for (long id : ids) {
                b.append(b.length() == 0 ? "" : " ").append(id);
            }
            return b.toString();
        }
    }

    private Privileges() {
    }

    /**
     * Looks a user up in the user database ({@code getpwnam}: /etc/passwd, or whatever NSS is configured).
     *
     * @throws DeviceException naming the fix if there is no such user, or if it is uid 0
     */
    public static User lookup(String name) throws DeviceException {
        LibC.clearLastError();
        Pointer pw = LibC.libc().getpwnam(name);
        if (pw == null) {
            int errno = LibC.lastError();
            if (errno == 0 || DeviceException.is(errno, Errno.ENOENT) || DeviceException.is(errno, Errno.ESRCH)
                    || DeviceException.is(errno, Errno.EBADF) || DeviceException.is(errno, Errno.EPERM)) {
                // getpwnam(3): "not found" leaves errno 0 or sets one of these, depending on the NSS module
                throw new DeviceException("unknown user '" + name + "' for --user; give an existing user (for example "
                        + "nobody) or create one (useradd --system --no-create-home " + name + ")", errno);
            }
            throw new DeviceException("cannot look up user '" + name + "' for --user: "
                    + DeviceException.describe(errno) + "; check /etc/passwd and /etc/nsswitch.conf", errno);
        }
        String found = pw.getPointer(PW_NAME).getString(0, 256, StandardCharsets.UTF_8);
        User user = new User(found, pw.getInt(PW_UID), pw.getInt(PW_GID));
        if (user.uid() == 0) {
            throw new DeviceException("user '" + name + "' for --user is uid 0, which keeps every privilege; give an "
                    + "unprivileged user (for example nobody)", 0);
        }
        return user;
    }

    /**
     * Switches the whole process to {@code user} and its primary group, with no supplementary groups, for good, and
     * checks every thread afterwards.
     *
     * @throws DeviceException naming the fix if a call fails (tunecho did not start as root) or a thread still holds
     *                         ids or capabilities of root
     */
    public static void drop(User user) throws DeviceException {
        if (LibC.libc().setgroups(0, null) < 0) {
            throw failed(user, "setgroups", LibC.lastError());
        }
        if (LibC.posix().setgid(user.gid()) < 0) {
            throw failed(user, "setgid(" + Integer.toUnsignedString(user.gid()) + ")", LibC.lastError());
        }
        if (LibC.posix().setuid(user.uid()) < 0) {
            throw failed(user, "setuid(" + Integer.toUnsignedString(user.uid()) + ")", LibC.lastError());
        }
        verify(user);
    }

    /** Reads back this thread's ids and every thread's status; throws unless all of them are {@code user}'s. */
    static void verify(User user) throws DeviceException {
        int[] r = new int[1];
        int[] e = new int[1];
        int[] s = new int[1];
        if (LibC.libc().getresuid(r, e, s) < 0 || r[0] != user.uid() || e[0] != user.uid() || s[0] != user.uid()) {
            throw notDropped(user, "getresuid reports " + Integer.toUnsignedString(r[0]) + " "
                    + Integer.toUnsignedString(e[0]) + " " + Integer.toUnsignedString(s[0]));
        }
        if (LibC.libc().getresgid(r, e, s) < 0 || r[0] != user.gid() || e[0] != user.gid() || s[0] != user.gid()) {
            throw notDropped(user, "getresgid reports " + Integer.toUnsignedString(r[0]) + " "
                    + Integer.toUnsignedString(e[0]) + " " + Integer.toUnsignedString(s[0]));
        }
        List<Path> tasks = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(TASKS)) {
            dir.forEach(tasks::add);
        } catch (IOException ex) {
            throw notDropped(user, "cannot list " + TASKS + " (" + ex.getMessage() + ")");
        }
        if (tasks.isEmpty()) {
            throw notDropped(user, TASKS + " lists no thread");
        }
        for (Path task : tasks) {
            List<String> status;
            Credentials credentials;
            try {
                status = Files.readAllLines(task.resolve("status"), StandardCharsets.UTF_8);
                credentials = Credentials.parse(status);
            } catch (NoSuchFileException gone) {
                continue; // a thread that ended meanwhile
            } catch (IOException | IllegalArgumentException ex) {
                throw notDropped(user, "cannot read " + task.resolve("status") + " (" + ex.getMessage() + ")");
            }
            String wrong = credentials.mismatch(user);
            if (wrong != null) {
                throw notDropped(user, "thread " + task.getFileName() + " (" + threadName(status) + "): " + wrong);
            }
        }
    }

    private static String threadName(List<String> status) {
        for (String line : status) {
            if (line.startsWith("Name:")) {
                return line.substring(5).trim();
            }
        }
        return "?";
    }

    private static DeviceException failed(User user, String call, int errno) {
        String message = "cannot switch to user " + user + " for --user: " + call + " failed: "
                + DeviceException.describe(errno);
        if (DeviceException.is(errno, Errno.EPERM)) {
            message += "; --user needs tunecho to start as root (in a container also --cap-add SETUID --cap-add "
                    + "SETGID); a service manager can start it as the user instead (see config/tunecho.service)";
        }
        return new DeviceException(message, errno);
    }

    private static DeviceException notDropped(User user, String what) {
        return new DeviceException("switching to user " + user + " for --user did not drop every privilege: " + what
                + "; start tunecho as root with no capability kept across setuid (no PR_SET_KEEPCAPS)", 0);
    }
}
