package io.tunecho.device;

import jnr.constants.platform.Errno;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;

/**
 * Configures network interfaces of the caller's network namespace in-process, without the {@code ip} command:
 * {@code ioctl}s on an {@code AF_INET} datagram socket with a {@code struct ifreq} (and a {@code struct rtentry}
 * for routes). Each call opens and closes its own socket. Needs {@code CAP_NET_ADMIN} for every change.
 */
public final class NetInterfaces {
    static final long SIOCADDRT = 0x890B;
    static final long SIOCDELRT = 0x890C;
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    static final long SIOCGIFADDR = 0x8915;
    static final long SIOCSIFADDR = 0x8916;
    static final long SIOCGIFNETMASK = 0x891B;
    static final long SIOCSIFNETMASK = 0x891C;
    static final long SIOCGIFMTU = 0x8921;
    static final long SIOCSIFMTU = 0x8922;
    static final long SIOCGIFINDEX = 0x8933;
    static final long SIOCSIFTXQLEN = 0x8943;
    static final int IFF_UP = 0x1;

    /** {@code struct rtentry} on x86-64 (checked with offsetof against glibc's net/route.h). */
    static final class RtEntry {
        static final int SIZE = 120;
        static final int DST = 8;
        static final int GENMASK = 40;
        static final int FLAGS = 56;
        static final int DEV = 88;
        static final short RTF_UP = 0x1;
        static final short RTF_HOST = 0x4;
    }

    private NetInterfaces() {
    }

    /** Whether an interface of that name exists in this network namespace. */
    public static boolean exists(String name) throws DeviceException {
        IfReq req = new IfReq(InterfaceName.require(name));
        int errno = ioctl(SIOCGIFINDEX, req);
        if (errno == 0) {
            return true;
        }
        if (DeviceException.is(errno, Errno.ENODEV)) {
            return false;
        }
        throw DeviceException.configure(name, "look up", errno);
    }

    /** The interface's index (for the calls that name an interface by number). */
    static int ifIndex(String name) throws DeviceException {
        IfReq req = new IfReq(InterfaceName.require(name));
        check(name, "read the index", ioctl(SIOCGIFINDEX, req));
        return req.intValue();
    }

    public static int mtu(String name) throws DeviceException {
        IfReq req = new IfReq(InterfaceName.require(name));
        check(name, "read the MTU", ioctl(SIOCGIFMTU, req));
        return req.intValue();
    }

    public static void setMtu(String name, int mtu) throws DeviceException {
        IfReq req = new IfReq(InterfaceName.require(name)).intValue(mtu);
        check(name, "set MTU " + mtu, ioctl(SIOCSIFMTU, req));
    }

    public static void setTxQueueLength(String name, int length) throws DeviceException {
        IfReq req = new IfReq(InterfaceName.require(name)).intValue(length);
        check(name, "set the transmit queue length to " + length, ioctl(SIOCSIFTXQLEN, req));
    }

    /** Whether the link is up ({@code IFF_UP}). */
    public static boolean isUp(String name) throws DeviceException {
        return (flags(name) & IFF_UP) != 0;
    }

    /** Brings the link up (sets {@code IFF_UP}, keeping the other flags). */
    public static void setUp(String name) throws DeviceException {
        int flags = flags(name);
        if ((flags & IFF_UP) != 0) {
            return;
        }
        IfReq req = new IfReq(name).flags(flags | IFF_UP);
        check(name, "bring the link up", ioctl(SIOCSIFFLAGS, req));
    }

    private static int flags(String name) throws DeviceException {
        IfReq req = new IfReq(InterfaceName.require(name));
        check(name, "read the flags", ioctl(SIOCGIFFLAGS, req));
        return req.flags() & 0xFFFF;
    }

    /** The primary IPv4 address as an int, or {@code null} when the interface has none. */
    public static Integer ipv4Address(String name) throws DeviceException {
        IfReq req = new IfReq(InterfaceName.require(name));
        int errno = ioctl(SIOCGIFADDR, req);
        if (DeviceException.is(errno, Errno.EADDRNOTAVAIL)) {
            return null;
        }
        check(name, "read the IPv4 address", errno);
        return req.ipv4();
    }

    /** The prefix length of the primary IPv4 address's netmask, or -1 when the interface has no address. */
    public static int ipv4PrefixLength(String name) throws DeviceException {
        IfReq req = new IfReq(InterfaceName.require(name));
        int errno = ioctl(SIOCGIFNETMASK, req);
        if (DeviceException.is(errno, Errno.EADDRNOTAVAIL)) {
            return -1;
        }
        check(name, "read the netmask", errno);
        return Integer.bitCount(req.ipv4());
    }

    /**
     * Sets the interface's primary IPv4 address and netmask. An interface that already has exactly this address
     * and prefix is left alone (re-setting it would flush its routes for a moment).
     */
    public static void setIpv4Address(String name, Inet4Address address, int prefixLength) throws DeviceException {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32: " + prefixLength);
        }
        int addr = toInt(address);
        Integer current = ipv4Address(name);
        if (current != null && current == addr && ipv4PrefixLength(name) == prefixLength) {
            return;
        }
        String shown = address.getHostAddress() + "/" + prefixLength;
        check(name, "set address " + shown, ioctl(SIOCSIFADDR, new IfReq(name).ipv4(addr)));
        check(name, "set netmask /" + prefixLength, ioctl(SIOCSIFNETMASK, new IfReq(name).ipv4(netmask(prefixLength))));
    }

    /**
     * Adds a route for {@code network/prefixLength} through the interface ({@code SIOCADDRT}); a route that is
     * already there is fine. The link must be up.
     */
    public static void addRoute(String name, Inet4Address network, int prefixLength) throws DeviceException {
        int errno = route(SIOCADDRT, name, network, prefixLength);
        if (errno != 0 && !DeviceException.is(errno, Errno.EEXIST)) {
            throw DeviceException.configure(name, "add route " + network.getHostAddress() + "/" + prefixLength,
                    errno);
        }
    }

    /** Removes the route for {@code network/prefixLength} through the interface; a missing one is fine. */
    public static void deleteRoute(String name, Inet4Address network, int prefixLength) throws DeviceException {
        int errno = route(SIOCDELRT, name, network, prefixLength);
        if (errno != 0 && !DeviceException.is(errno, Errno.ESRCH)) {
            throw DeviceException.configure(name, "remove route " + network.getHostAddress() + "/" + prefixLength,
                    errno);
        }
    }

    private static int route(long request, String name, Inet4Address network, int prefixLength)
            throws DeviceException {
        InterfaceName.require(name);
        jnr.ffi.Runtime runtime = LibC.runtime();
        byte[] devName = (name + '\0').getBytes(StandardCharsets.US_ASCII);
        Pointer dev = Memory.allocateDirect(runtime, devName.length);
        dev.put(0, devName, 0, devName.length);
        Pointer rt = Memory.allocateDirect(runtime, RtEntry.SIZE);
        rt.setMemory(0, RtEntry.SIZE, (byte) 0);
        putSockaddrIn(rt, RtEntry.DST, toInt(network) & netmask(prefixLength));
        putSockaddrIn(rt, RtEntry.GENMASK, netmask(prefixLength));
        rt.putShort(RtEntry.FLAGS, (short) (RtEntry.RTF_UP | (prefixLength == 32 ? RtEntry.RTF_HOST : 0)));
        rt.putPointer(RtEntry.DEV, dev);
        return withSocket(fd -> LibC.libc().ioctl(fd, request, rt) < 0 ? LibC.lastError() : 0);
    }

    /** {@code struct in6_ifreq}: the address, the prefix length, the interface index. */
    static final int IN6_IFREQ_SIZE = 24;
    /** {@code struct in6_rtmsg} on x86-64 and arm64 (checked with offsetof against glibc's net/route.h). */
    static final class In6RtMsg {
        static final int SIZE = 80;
        static final int DST = 0;
        static final int DST_LEN = 52;
        static final int FLAGS = 72;
        static final int IFINDEX = 76;
    }

    /**
     * Adds an IPv6 address with its prefix length to the interface ({@code SIOCSIFADDR} on an {@code AF_INET6}
     * socket); an address that is there already is fine. TUN interfaces do no duplicate address detection (they have
     * no neighbours), so the address is usable at once.
     */
    public static void addIpv6Address(String name, Inet6Address address, int prefixLength) throws DeviceException {
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("an IPv6 prefix length is 0..128: " + prefixLength);
        }
        int index = ifIndex(name);
        byte[] req = new byte[IN6_IFREQ_SIZE];
        System.arraycopy(address.getAddress(), 0, req, 0, 16);
        java.nio.ByteBuffer.wrap(req).order(java.nio.ByteOrder.nativeOrder()).putInt(16, prefixLength)
                .putInt(20, index);
        int errno = withSocket(LibC.AF_INET6, fd -> LibC.libc().ioctl(fd, SIOCSIFADDR, req) < 0 ? LibC.lastError()
                : 0);
        if (errno != 0 && !DeviceException.is(errno, Errno.EEXIST)) {
            String what = "add address " + address.getHostAddress() + "/" + prefixLength;
            if (DeviceException.is(errno, Errno.EACCES)) {
                throw new DeviceException("cannot " + what + " on interface " + name + ": IPv6 is disabled there "
                        + "(sysctl net.ipv6.conf." + name + ".disable_ipv6=1); enable it, or give no IPv6 address",
                        errno);
            }
            throw DeviceException.configure(name, what, errno);
        }
    }

    /** Adds an IPv6 route for {@code network/prefixLength} through the interface; one that is there is fine. */
    public static void addIpv6Route(String name, Inet6Address network, int prefixLength) throws DeviceException {
        int errno = route6(SIOCADDRT, name, network, prefixLength);
        if (errno != 0 && !DeviceException.is(errno, Errno.EEXIST)) {
            throw DeviceException.configure(name, "add route " + network.getHostAddress() + "/" + prefixLength,
                    errno);
        }
    }

    /** Removes an IPv6 route through the interface; a missing one is fine. */
    public static void deleteIpv6Route(String name, Inet6Address network, int prefixLength) throws DeviceException {
        int errno = route6(SIOCDELRT, name, network, prefixLength);
        if (errno != 0 && !DeviceException.is(errno, Errno.ESRCH) && !DeviceException.is(errno, Errno.ENOENT)) {
            throw DeviceException.configure(name, "remove route " + network.getHostAddress() + "/" + prefixLength,
                    errno);
        }
    }

    private static int route6(long request, String name, Inet6Address network, int prefixLength)
            throws DeviceException {
        int index = ifIndex(name);
        byte[] msg = new byte[In6RtMsg.SIZE];
        byte[] a = network.getAddress();
        for (int i = 0; i < 16; i++) {
            int bit = i * 8;
            int keep = Math.max(0, Math.min(8, prefixLength - bit));
            msg[In6RtMsg.DST + i] = (byte) (a[i] & (0xFF << (8 - keep)));
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(msg).order(java.nio.ByteOrder.nativeOrder());
        b.putShort(In6RtMsg.DST_LEN, (short) prefixLength);
        b.putInt(In6RtMsg.FLAGS, RtEntry.RTF_UP | (prefixLength == 128 ? RtEntry.RTF_HOST : 0));
        b.putInt(In6RtMsg.IFINDEX, index);
        return withSocket(LibC.AF_INET6, fd -> LibC.libc().ioctl(fd, request, msg) < 0 ? LibC.lastError() : 0);
    }

    private static void putSockaddrIn(Pointer p, int offset, int address) {
        p.putShort(offset, (short) LibC.AF_INET);
        p.putByte(offset + 4, (byte) (address >>> 24));
        p.putByte(offset + 5, (byte) (address >>> 16));
        p.putByte(offset + 6, (byte) (address >>> 8));
        p.putByte(offset + 7, (byte) address);
    }

    static int netmask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static void check(String name, String what, int errno) throws DeviceException {
        if (errno != 0) {
            throw DeviceException.configure(name, what, errno);
        }
    }

    /** Runs one ioctl on a fresh AF_INET socket; returns 0 or the errno. */
    private static int ioctl(long request, IfReq req) throws DeviceException {
        return withSocket(fd -> LibC.libc().ioctl(fd, request, req.bytes()) < 0 ? LibC.lastError() : 0);
    }

    private interface SocketCall {
        int apply(int fd);
    }

    private static int withSocket(SocketCall call) throws DeviceException {
        return withSocket(LibC.AF_INET, call);
    }

    private static int withSocket(int family, SocketCall call) throws DeviceException {
        int fd = LibC.libc().socket(family, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            int errno = LibC.lastError();
            throw new DeviceException("cannot open an " + (family == LibC.AF_INET ? "AF_INET" : "AF_INET6")
                    + " socket to configure interfaces: " + DeviceException.describe(errno)
                    + (family == LibC.AF_INET6 ? "; is IPv6 disabled on this host?" : ""), errno);
        }
        try {
            return call.apply(fd);
        } finally {
            LibC.posix().close(fd);
        }
    }
}
